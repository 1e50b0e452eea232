-- Two workspaces on different Webex sites may be handed the same meeting number: a meeting is known by
-- (team_id, meeting_key), and the rows that refer to a meeting by number carry its workspace, taken from the
-- meeting's row. SQLite cannot change a primary key, so `meetings` and `invitations` are rebuilt.
create table meetings_by_team (
    team_id text not null,
    meeting_key text not null,
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
    intent_key text not null default '',
    recurrence text,
    time_zone text not null default '',
    primary key (team_id, meeting_key)
);
insert into meetings_by_team (team_id, meeting_key, channel_id, card_ts, host_webex_id, host_slack_user_id, topic,
    start, duration_minutes, created_by, status, created_at, kind, invitees, started_at, ended_at, join_url,
    intent_key, recurrence, time_zone)
select coalesce(team_id, ''), meeting_key, channel_id, card_ts, host_webex_id, host_slack_user_id, topic, start,
    duration_minutes, created_by, status, created_at, kind, invitees, started_at, ended_at, join_url, intent_key,
    recurrence, time_zone
from meetings;
drop table meetings;
alter table meetings_by_team rename to meetings;
create index idx_meetings_team_id_host_webex_id on meetings (team_id, host_webex_id);
create index idx_meetings_intent_key on meetings (intent_key);
create index idx_meetings_meeting_key on meetings (meeting_key);

alter table reminders add column team_id text not null default '';
update reminders set team_id = coalesce((select meetings.team_id from meetings
    where meetings.meeting_key = reminders.meeting_key), '');
drop index idx_reminders_meeting_key;
create index idx_reminders_team_id_meeting_key on reminders (team_id, meeting_key);

create table invitations_by_team (
    team_id text not null,
    meeting_key text not null,
    slack_user_id text not null,
    channel_id text not null,
    ts text not null,
    primary key (team_id, meeting_key, slack_user_id)
);
insert into invitations_by_team (team_id, meeting_key, slack_user_id, channel_id, ts)
select coalesce((select meetings.team_id from meetings where meetings.meeting_key = invitations.meeting_key), ''),
    meeting_key, slack_user_id, channel_id, ts
from invitations;
drop table invitations;
alter table invitations_by_team rename to invitations;
