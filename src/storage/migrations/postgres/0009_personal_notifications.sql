-- Personal notifications (INQ-2): a message to given people (the assignee of a record) rather than
-- to a channel's own recipients. A JSON array of addresses; empty for a channel's usual message.
ALTER TABLE notifications ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
