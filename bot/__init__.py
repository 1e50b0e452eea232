"""Everything that touches Slack."""
