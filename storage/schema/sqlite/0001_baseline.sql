-- The schema as the sqlite-utils migrations of storage/migrations.py left it (databases made by them adopt
-- this version without running it).
create table links (
    team_id text,
    slack_user_id text,
    webex_id text,
    email text,
    verified_by text,
    linked_at text,
    primary key (team_id, slack_user_id)
);
create unique index idx_links_team_id_webex_id on links (team_id, webex_id);

create table meetings (
    meeting_key text primary key,
    team_id text,
    channel_id text,
    card_ts text,
    host_webex_id text,
    host_slack_user_id text,
    topic text,
    start text,
    duration_minutes integer,
    created_by text,
    status text,
    created_at text,
    kind text not null default 'meeting',
    invitees text not null default '[]',
    started_at text,
    ended_at text,
    join_url text not null default '',
    intent_key text not null default ''
);
create index idx_meetings_team_id_host_webex_id on meetings (team_id, host_webex_id);
create index idx_meetings_intent_key on meetings (intent_key);

create table idempotency_keys (key text primary key, created_at text, result text);
create index idx_idempotency_keys_created_at on idempotency_keys (created_at);

create table audit_log (
    id integer primary key,
    at text,
    team_id text,
    actor text,
    action text,
    subject text,
    detail text
);
create index idx_audit_log_team_id_at on audit_log (team_id, at);

create table settings (team_id text, name text, value text, primary key (team_id, name));

create table reminders (
    id integer primary key,
    meeting_key text,
    slack_user_id text,
    role text,
    due_at text,
    sent_at text,
    channel_id text,
    scheduled_id text,
    retract integer not null default 0
);
create index idx_reminders_sent_at_due_at on reminders (sent_at, due_at);
create index idx_reminders_meeting_key on reminders (meeting_key);

create table intents (
    key text primary key,
    team_id text,
    user_id text,
    channel_id text,
    action text,
    payload text,
    state text not null default 'pending',
    attempts integer default 0,
    meeting_key text default '',
    progress text default '{}',
    outcome text default '',
    created_at text,
    updated_at text
);
create index idx_intents_state on intents (state);

create table secrets (name text primary key, value text, updated_at text);
