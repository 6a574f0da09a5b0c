// name: unused-roles
// description: AWS roles that have not been used for a number of days, or never, according to the RoleLastUsed
//   field of the authorization details export; unused roles are candidates for removal.
// parameters:
//   days (integer, default 90): the minimum number of days since last use
//   asOf (string, default ""): the date to measure from, such as 2026-12-01; empty means the latest snapshot's
//   time, as the findings report measures: its credential report's time, or else when it was loaded
// limitations: AWS tracks last use for about the last 400 days, so "never" can mean "not within that window". Roles
//   named only in trust policies (external = true) carry no usage and are left out.
OPTIONAL MATCH (s:Snapshot)
WITH s ORDER BY s.loadedAt DESC LIMIT 1
WITH CASE WHEN $asOf <> '' THEN datetime($asOf)
          WHEN s IS NULL THEN datetime()
          ELSE datetime(coalesce(s.collectedAt, s.loadedAt)) END AS reference
MATCH (role:AwsRole)
WHERE NOT coalesce(role.external, false)
WITH role, reference
WITH role, CASE WHEN role.lastUsedDate IS NULL THEN null
                ELSE duration.inDays(datetime(replace(role.lastUsedDate, ' ', 'T')), reference).days END AS idleDays
WHERE idleDays IS NULL OR idleDays > $days
RETURN role.id AS role, role.lastUsedDate AS lastUsed, idleDays, role.adminEquivalent AS adminEquivalent
ORDER BY idleDays IS NULL DESC, idleDays DESC, role;
