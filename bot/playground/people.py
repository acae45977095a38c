"""The playground's synthetic workspace: about two dozen people a coordinator can act as.

A coordinator, seniors and juniors across departments, roles and three timezones, each
with what they can share, what they want to learn and their working hours, chosen from
the product's own topic list so matching has real overlaps to find.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.topics import TOPICS

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
SINGAPORE = "Asia/Singapore"


@dataclass(frozen=True)
class Person:
    user_id: str
    handle: str
    name: str
    title: str
    department: str
    timezone: str
    role: str  # "coordinator", "senior" or "junior"
    can_share: tuple[str, ...] = ()
    wants_to_learn: tuple[str, ...] = ()
    hours: tuple[str, str] = ("09:00", "17:00")
    languages: tuple[str, ...] = ("en",)


COORDINATOR = Person(
    "U0PCOORD01",
    "maya",
    "Maya Lindqvist",
    "People Development Lead",
    "People",
    BERLIN,
    "coordinator",
)

SENIORS: tuple[Person, ...] = (
    Person(
        "U0PSEN0001",
        "henrik",
        "Henrik Vogel",
        "CFO",
        "Finance",
        BERLIN,
        "senior",
        ("Strategy", "Decision making", "Company history"),
        ("AI tools", "Automation"),
        ("08:00", "17:00"),
        ("en", "de"),
    ),
    Person(
        "U0PSEN0002",
        "susan",
        "Susan Whitfield",
        "VP Sales",
        "Sales",
        NEW_YORK,
        "senior",
        ("Negotiation", "Stakeholder management"),
        ("Social media", "Gen Z at work"),
        ("08:30", "17:30"),
    ),
    Person(
        "U0PSEN0003",
        "rajesh",
        "Rajesh Iyer",
        "Head of Operations",
        "Operations",
        SINGAPORE,
        "senior",
        ("Leadership", "Decision making"),
        ("Data & dashboards", "AI tools"),
        ("09:00", "18:00"),
        ("en", "hi"),
    ),
    Person(
        "U0PSEN0004",
        "claire",
        "Claire Dubois",
        "General Counsel",
        "Legal",
        BERLIN,
        "senior",
        ("Navigating the organisation", "Negotiation"),
        ("Collaboration tools", "Remote & hybrid work"),
        ("09:00", "17:00"),
        ("en", "fr"),
    ),
    Person(
        "U0PSEN0005",
        "tom",
        "Tom Becker",
        "Director of Engineering",
        "Engineering",
        BERLIN,
        "senior",
        ("Career planning", "Leadership"),
        ("Diversity & inclusion", "Current trends"),
        ("09:30", "18:00"),
        ("en", "de"),
    ),
    Person(
        "U0PSEN0006",
        "linda",
        "Linda Okafor",
        "CMO",
        "Marketing",
        NEW_YORK,
        "senior",
        ("Strategy", "Public speaking"),
        ("AI tools", "Social media"),
        ("09:00", "17:00"),
    ),
    Person(
        "U0PSEN0007",
        "kenji",
        "Kenji Tan",
        "Regional Director APAC",
        "Sales",
        SINGAPORE,
        "senior",
        ("Customer insight", "Stakeholder management"),
        ("Automation", "Collaboration tools"),
        ("08:30", "17:30"),
        ("en", "zh"),
    ),
    Person(
        "U0PSEN0008",
        "margaret",
        "Margaret Hale",
        "Chief People Officer",
        "People",
        NEW_YORK,
        "senior",
        ("Career planning", "Navigating the organisation"),
        ("Gen Z at work", "Remote & hybrid work"),
        ("08:00", "16:30"),
    ),
    Person(
        "U0PSEN0009",
        "dieter",
        "Dieter Schmidt",
        "Plant Manager",
        "Operations",
        BERLIN,
        "senior",
        ("Company history", "Decision making"),
        ("Data & dashboards", "Cybersecurity basics"),
        ("07:30", "16:00"),
        ("en", "de"),
    ),
    Person(
        "U0PSEN0010",
        "patricia",
        "Patricia Moreno",
        "VP Customer Success",
        "Customer Success",
        NEW_YORK,
        "senior",
        ("Customer insight", "Public speaking"),
        ("AI tools", "Current trends"),
        ("09:00", "17:30"),
        ("en", "es"),
    ),
    Person(
        "U0PSEN0011",
        "wei",
        "Wei Lim",
        "Head of Finance APAC",
        "Finance",
        SINGAPORE,
        "senior",
        ("Strategy", "Stakeholder management"),
        ("Social media", "Automation"),
        ("09:00", "18:00"),
        ("en", "zh"),
    ),
)

JUNIORS: tuple[Person, ...] = (
    Person(
        "U0PJUN0001",
        "lena",
        "Lena Hoffmann",
        "Data Analyst",
        "Finance",
        BERLIN,
        "junior",
        ("Data & dashboards", "AI tools"),
        ("Strategy", "Career planning"),
        ("09:00", "17:30"),
        ("en", "de"),
    ),
    Person(
        "U0PJUN0002",
        "jordan",
        "Jordan Reyes",
        "Social Media Manager",
        "Marketing",
        NEW_YORK,
        "junior",
        ("Social media", "Gen Z at work"),
        ("Negotiation", "Public speaking"),
        ("10:00", "18:00"),
        ("en", "es"),
    ),
    Person(
        "U0PJUN0003",
        "priya",
        "Priya Nair",
        "Automation Engineer",
        "Operations",
        SINGAPORE,
        "junior",
        ("Automation", "AI tools"),
        ("Leadership", "Decision making"),
        ("09:30", "18:30"),
        ("en", "hi"),
    ),
    Person(
        "U0PJUN0004",
        "noah",
        "Noah Fischer",
        "Junior Developer",
        "Engineering",
        BERLIN,
        "junior",
        ("Collaboration tools", "Cybersecurity basics"),
        ("Company history", "Navigating the organisation"),
        ("10:00", "18:30"),
        ("en", "de"),
    ),
    Person(
        "U0PJUN0005",
        "aisha",
        "Aisha Bello",
        "Sales Development Rep",
        "Sales",
        NEW_YORK,
        "junior",
        ("Social media", "Current trends"),
        ("Negotiation", "Stakeholder management"),
        ("08:30", "17:00"),
    ),
    Person(
        "U0PJUN0006",
        "mei",
        "Mei Chen",
        "Customer Success Associate",
        "Customer Success",
        SINGAPORE,
        "junior",
        ("Collaboration tools", "Remote & hybrid work"),
        ("Customer insight", "Career planning"),
        ("09:00", "18:00"),
        ("en", "zh"),
    ),
    Person(
        "U0PJUN0007",
        "lucas",
        "Lucas Martin",
        "Legal Trainee",
        "Legal",
        BERLIN,
        "junior",
        ("AI tools", "Automation"),
        ("Negotiation", "Navigating the organisation"),
        ("09:00", "17:00"),
        ("en", "fr"),
    ),
    Person(
        "U0PJUN0008",
        "emily",
        "Emily Carter",
        "HR Coordinator",
        "People",
        NEW_YORK,
        "junior",
        ("Diversity & inclusion", "Gen Z at work"),
        ("Leadership", "Public speaking"),
        ("09:00", "17:00"),
    ),
    Person(
        "U0PJUN0009",
        "arjun",
        "Arjun Mehta",
        "Financial Analyst",
        "Finance",
        SINGAPORE,
        "junior",
        ("Data & dashboards", "Automation"),
        ("Strategy", "Stakeholder management"),
        ("09:00", "18:00"),
        ("en", "hi"),
    ),
    Person(
        "U0PJUN0010",
        "sofia",
        "Sofia Rossi",
        "Content Designer",
        "Marketing",
        BERLIN,
        "junior",
        ("Social media", "Current trends"),
        ("Public speaking", "Strategy"),
        ("09:30", "18:00"),
        ("en", "it"),
    ),
    Person(
        "U0PJUN0011",
        "tyler",
        "Tyler Brooks",
        "IT Support Specialist",
        "Operations",
        NEW_YORK,
        "junior",
        ("Cybersecurity basics", "Collaboration tools"),
        ("Decision making", "Company history"),
        ("08:00", "16:30"),
    ),
    Person(
        "U0PJUN0012",
        "hana",
        "Hana Yusof",
        "Operations Analyst",
        "Operations",
        SINGAPORE,
        "junior",
        ("Data & dashboards", "Remote & hybrid work"),
        ("Leadership", "Customer insight"),
        ("09:00", "18:00"),
    ),
)

PEOPLE: tuple[Person, ...] = (COORDINATOR, *SENIORS, *JUNIORS)
ADMIN_CHANNEL = "C0PADMIN01"
CELEBRATION_CHANNEL = "C0PWINS001"
GENERAL_CHANNEL = "C0PGENRL01"
PROGRAM_NAME = "Spring cohort"


def by_id(user_id: str) -> Person | None:
    return next((p for p in PEOPLE if p.user_id == user_id), None)


def _check() -> None:
    """Every topic a person names is one the product offers (matching compares them)."""
    offered = set(TOPICS)
    for person in PEOPLE:
        unknown = {*person.can_share, *person.wants_to_learn} - offered
        if unknown:
            raise ValueError(f"{person.handle}: unknown topics {sorted(unknown)}")


_check()
