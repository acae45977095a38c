"""The shared vocabulary of topics and languages that matching compares."""

from __future__ import annotations

# What juniors typically share (digital fluency, trends, fresh eyes) and what seniors
# share (context, strategy, career): one list, so either side can pick any topic.
TOPICS: tuple[str, ...] = (
    "AI tools",
    "Social media",
    "Data & dashboards",
    "Collaboration tools",
    "Automation",
    "Cybersecurity basics",
    "Current trends",
    "Gen Z at work",
    "Diversity & inclusion",
    "Remote & hybrid work",
    "Strategy",
    "Leadership",
    "Navigating the organisation",
    "Career planning",
    "Stakeholder management",
    "Decision making",
    "Negotiation",
    "Public speaking",
    "Company history",
    "Customer insight",
)

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("ja", "Japanese"),
    ("zh", "Chinese"),
    ("hi", "Hindi"),
    ("ar", "Arabic"),
)


def topic_key(label: str) -> str:
    """How topics are compared: case and spacing do not matter."""
    return " ".join(label.lower().split())
