"""The Slack gateway: every Web API call goes through `bot.slack.gateway`."""
