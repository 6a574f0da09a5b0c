// name: gcp-user-managed-keys
// description: service accounts with enabled user-managed keys, the long-lived credentials that leak, with each key's
//   validity window and whether the account can reach an administrator.
// parameters: none
// limitations: `gcloud iam service-accounts keys list` gives no last-use time, so unused keys are not told apart.
MATCH (a:GcpServiceAccount)-[:HAS_KEY]->(k:GcpServiceAccountKey {keyType: 'USER_MANAGED'})
WHERE NOT coalesce(k.disabled, false)
RETURN a.id AS serviceAccount, a.project AS project, k.id AS keyId, k.validAfter AS validAfter,
       k.validBefore AS validBefore, a.adminEquivalent AS adminEquivalent
ORDER BY k.validAfter, serviceAccount;
