"""Offline stand-ins for the demo and the tests: a Slack look-alike (Web API, response URLs, Socket
Mode, signed requests)."""
