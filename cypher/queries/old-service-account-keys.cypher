// name: old-service-account-keys
// description: enabled user-managed GCP service account keys created more than a number of days ago, oldest first,
//   with the account and whether it is an administrator.
// parameters:
//   days (integer, default 90): the minimum age of a key, in days
//   asOf (string, default ""): the date to measure ages from, such as 2026-12-01; empty means the latest
//   snapshot's time, as the findings report measures: its credential report's time, or else when it was loaded
// limitations: AWS access keys are not listed: the report's aws-access-key-older-than-rotation rule covers them. The age is
//   the key's validAfterTime, which is its creation time for keys that Google generated; an uploaded key can carry
//   an older time.
OPTIONAL MATCH (s:Snapshot)
WITH s ORDER BY s.loadedAt DESC LIMIT 1
WITH CASE WHEN $asOf <> '' THEN datetime($asOf)
          WHEN s IS NULL THEN datetime()
          ELSE datetime(coalesce(s.collectedAt, s.loadedAt)) END AS reference
MATCH (a:GcpServiceAccount)-[:HAS_KEY]->(k:GcpServiceAccountKey {keyType: 'USER_MANAGED'})
WHERE NOT coalesce(k.disabled, false) AND k.validAfter IS NOT NULL
WITH a, k, reference
WITH a, k, duration.inDays(datetime(k.validAfter), reference).days AS ageDays
WHERE ageDays > $days
RETURN a.id AS serviceAccount, a.project AS project, k.id AS keyId, k.validAfter AS createdAt, ageDays,
       a.adminEquivalent AS adminEquivalent
ORDER BY ageDays DESC, serviceAccount;
