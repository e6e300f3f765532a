-- Rate-limit counters are ephemeral: skip the WAL (and its fsync on every request). After a crash
-- PostgreSQL empties an unlogged table, which only resets the current minute's counts.
ALTER TABLE "rate_limit_windows" SET UNLOGGED;
