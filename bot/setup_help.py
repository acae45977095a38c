"""What to tell someone who starts twoway without Slack credentials."""

from __future__ import annotations

from collections.abc import Sequence

_STEPS = """\
twoway needs a Slack app before it can run. Missing: {missing}

  1. Open https://api.slack.com/apps and choose "Create New App" -> "From an app manifest".
     Pick your workspace and paste the contents of manifest.yml (next to this README).
  2. "Install App" -> "Install to Workspace", and allow the requested permissions.
  3. Put the credentials in a file named .env in this folder (or in the environment):
       SLACK_BOT_TOKEN=xoxb-...       "OAuth & Permissions" -> Bot User OAuth Token
       SLACK_APP_TOKEN=xapp-...       "Basic Information" -> App-Level Tokens -> Generate
                                      (scope connections:write); set it for Socket Mode,
                                      which needs no public URL
       SLACK_SIGNING_SECRET=...       "Basic Information" -> App Credentials -> Signing Secret
                                      (needed in HTTP mode, i.e. without SLACK_APP_TOKEN)
     Optional: TWOWAY_ADMIN_CHANNEL=C... (the coordinators' channel; invite the bot there)
               TWOWAY_COORDINATORS=U...,U... (Slack user ids of the coordinators)
  4. Run the same command again.
"""


def missing_credentials_message(missing: Sequence[str]) -> str:
    return _STEPS.format(missing=", ".join(missing))
