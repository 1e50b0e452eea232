-- A meeting may repeat: its RRULE (null for a one-off) and its host's IANA zone, to expand the series in.
alter table meetings add column recurrence text;
alter table meetings add column time_zone text not null default '';

-- People who unlinked themselves (or lost their account to someone else): never linked again by email until
-- they link themselves.
create table unlinked (
    team_id text not null,
    slack_user_id text not null,
    reason text not null,
    at text,
    primary key (team_id, slack_user_id)
);

-- The direct messages that invited people, so cancelling can edit them.
create table invitations (
    meeting_key text not null,
    slack_user_id text not null,
    channel_id text not null,
    ts text not null,
    primary key (meeting_key, slack_user_id)
);
