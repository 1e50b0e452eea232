-- The Enterprise Grid organization of each workspace the bot has served (OAuth mode), so that background work
-- (reminders, the tracker, intents resumed at start) finds an org-wide install's token after a restart.
create table slack_workspaces (
    team_id text primary key,
    enterprise_id text not null,
    is_enterprise_install integer not null default 0
);
