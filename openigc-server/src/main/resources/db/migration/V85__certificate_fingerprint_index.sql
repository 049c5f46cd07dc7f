-- Card login looks its certificate up by SHA-256 fingerprint on every request (CardAuthenticator: a revoked card is
-- refused at once). There was no index on the column: each card-authenticated request scanned the whole certificate
-- table (0.8 ms of database time per request with ~5,000 rows in the issuance benchmark, growing linearly with every
-- certificate stored). Partial: rows still ISSUING have no fingerprint yet.
create index certificate_fingerprint_idx on certificate (fingerprint_sha256) where fingerprint_sha256 is not null;
