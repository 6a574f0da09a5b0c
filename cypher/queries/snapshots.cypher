// name: snapshots
// description: the loads recorded in the graph, newest first, with their counts, to check which files the graph
//   reflects and when they were loaded.
// parameters: none
// limitations: loading the same files again updates the one Snapshot of those files instead of adding a new one.
MATCH (s:Snapshot)
RETURN s.id AS snapshot, s.loadedAt AS loadedAt, s.files AS files, s.accounts AS accounts, s.roles AS roles,
       s.users AS users, s.gcpServiceAccounts AS gcpServiceAccounts, s.administrators AS administrators
ORDER BY loadedAt DESC;
