"""What a user can ask for: the /webex grammar and the sub-commands (no Slack calls here)."""
