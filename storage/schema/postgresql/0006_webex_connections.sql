-- Each workspace's own Webex connection (OAuth mode), set by one of its admins from the App Home. The
-- credentials (password, or the Service App's tokens) are in `data`, encrypted with WEBEXBOT_SECRET_KEY;
-- `version` grows with every change, so that every replica rebuilds its client for the workspace.
create table webex_connections (
    team_id text primary key,
    api text not null,
    site_url text not null,
    site_name text not null default '',
    connected_by text not null,
    connected_at text not null,
    version integer not null,
    data text not null
);
