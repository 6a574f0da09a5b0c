// name: principals-reading-secrets
// description: principals with Read access to a secret: an AWS Secrets Manager secret or a GCP Secret Manager
//   secret, as the derived CAN_ACCESS edges record it, with the access levels and whether a condition applies.
// parameters: none
// limitations: AWS CAN_ACCESS edges exist only for resources whose resource policy is in the bundle; a secret
//   reached through identity policies alone is in `nhigraph blast-radius`, not here. Administrators can read every
//   secret and are listed by admin-equivalent-identities. A CAN_ACCESS edge to an AwsResourceSet stands for each
//   secret the set INCLUDES, minus those in its except.
MATCH (p:Principal)-[e:CAN_ACCESS]->()-[:INCLUDES*0..1]->(secret)
WHERE NOT secret.id IN coalesce(e.except, [])
  AND ((secret:AwsResource AND secret.service = 'secretsmanager')
       OR (secret:GcpResource AND secret.assetType = 'secretmanager.googleapis.com/Secret'))
  AND 'Read' IN e.accessLevels
RETURN p.id AS principal, p.kind AS kind, secret.id AS secret, e.accessLevels AS accessLevels,
       e.conditional AS conditional
ORDER BY secret, principal;
