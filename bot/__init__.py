"""Everything that touches Slack."""

import sys

# httpx imports its command-line client (click, pygments, rich) whenever those happen to be installed; the bot
# never runs it, and it would hold ~2 MB of every process. A None entry makes that import fail, as httpx expects.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
