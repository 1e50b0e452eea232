-- Several replicas on one database. The same as sqlite/0002_replicas.sql. A lease is held by one process
-- (`owner`, named by Store.identity) until `lease_until`, in seconds since 1970 by the database's clock.
alter table intents add column owner text;
alter table intents add column lease_until double precision;
create index idx_intents_owner on intents (owner);

alter table reminders add column owner text;
alter table reminders add column lease_until double precision;

create table leases (name text primary key, owner text not null, held_until double precision not null);
