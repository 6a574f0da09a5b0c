// name: old-service-account-keys
// description: enabled user-managed GCP service account keys created more than a number of days ago, oldest first,
//   with the account and whether it is an administrator.
// parameters:
//   days (integer, default 90): the minimum age of a key, in days
//   asOf (string, default ""): the date to measure ages from, such as 2026-12-01; empty means now
// limitations: AWS access keys are not listed, because nhigraph does not load credential reports yet. The age is
//   the key's validAfterTime, which is its creation time for keys that Google generated; an uploaded key can carry
//   an older time.
MATCH (a:GcpServiceAccount)-[:HAS_KEY]->(k:GcpServiceAccountKey {keyType: 'USER_MANAGED'})
WHERE NOT coalesce(k.disabled, false) AND k.validAfter IS NOT NULL
WITH a, k, CASE WHEN $asOf = '' THEN datetime() ELSE datetime($asOf) END AS reference
WITH a, k, duration.inDays(datetime(k.validAfter), reference).days AS ageDays
WHERE ageDays > $days
RETURN a.id AS serviceAccount, a.project AS project, k.id AS keyId, k.validAfter AS createdAt, ageDays,
       a.adminEquivalent AS adminEquivalent
ORDER BY ageDays DESC, serviceAccount;
