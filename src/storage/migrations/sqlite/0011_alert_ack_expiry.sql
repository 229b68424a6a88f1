-- An acknowledgement may lapse (MON-7): after ack_expires_at the alert escalates again as if
-- unacknowledged, and may be acknowledged anew.
ALTER TABLE alerts ADD COLUMN ack_expires_at INTEGER;
