-- Slack installations (OAuth mode), one row per installing user of a workspace or an org-wide install:
-- `enterprise_id` and `team_id` are '' where Slack gives none (team_id is '' for an org-wide install).
-- `data` is slack_sdk's Installation as JSON, encrypted with WEBEXBOT_SECRET_KEY: it holds the tokens.
create table slack_installations (
    enterprise_id text not null,
    team_id text not null,
    user_id text not null,
    is_enterprise_install integer not null default 0,
    data text not null,
    installed_at real not null,
    primary key (enterprise_id, team_id, user_id)
);

-- The bot of each installation (the latest one's tokens), as slack_sdk's Bot in JSON, encrypted the same way.
create table slack_bots (
    enterprise_id text not null,
    team_id text not null,
    is_enterprise_install integer not null default 0,
    data text not null,
    installed_at real not null,
    primary key (enterprise_id, team_id)
);

-- OAuth states handed to browsers starting an install: each is consumed once, before it expires.
create table oauth_states (
    state text primary key,
    expires_at real not null
);
