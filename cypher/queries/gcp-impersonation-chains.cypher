// name: gcp-impersonation-chains
// description: chains of two or three GCP service account impersonations (token creation, key creation, signing),
//   returned as paths for drawing; each chain lets the first principal act as the last account.
// parameters: none
// limitations: at most 3 steps and 500 chains. Scope-wide steps to a project or folder are not expanded.
MATCH path = (:Principal)-[:CAN_IMPERSONATE*2..3]->(:GcpServiceAccount)
WHERE all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
RETURN path, length(path) AS steps
ORDER BY steps DESC
LIMIT 500;
