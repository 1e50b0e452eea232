-- Two workspaces on different Webex sites may be handed the same meeting number: a meeting is known by
-- (team_id, meeting_key), and the rows that refer to a meeting by number carry its workspace, taken from the
-- meeting's row. The same as sqlite/0007_meetings_by_workspace.sql, which rebuilds the tables instead.
update meetings set team_id = '' where team_id is null;
alter table meetings alter column team_id set not null;
alter table meetings drop constraint meetings_pkey;
alter table meetings add primary key (team_id, meeting_key);
create index idx_meetings_meeting_key on meetings (meeting_key);

alter table reminders add column team_id text not null default '';
update reminders set team_id = coalesce((select meetings.team_id from meetings
    where meetings.meeting_key = reminders.meeting_key), '');
drop index idx_reminders_meeting_key;
create index idx_reminders_team_id_meeting_key on reminders (team_id, meeting_key);

alter table invitations add column team_id text not null default '';
update invitations set team_id = coalesce((select meetings.team_id from meetings
    where meetings.meeting_key = invitations.meeting_key), '');
alter table invitations drop constraint invitations_pkey;
alter table invitations add primary key (team_id, meeting_key, slack_user_id);
