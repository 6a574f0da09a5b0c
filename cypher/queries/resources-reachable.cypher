// name: resources-reachable
// description: the resources that a principal can access directly or after assuming or impersonating up to 2
//   other identities, with the access levels and the identity that holds the access.
// parameters:
//   principal (principal): the starting principal: an AWS ARN, unique id or name, an access key id, or a GCP
//     member such as serviceAccount:EMAIL
// limitations: only resources with a CAN_ACCESS edge are listed; for AWS those are the resources whose resource
//   policy is in the bundle. A CAN_ASSUME edge to a set of roles that trust their account root is not followed,
//   so identities reached only through such a set are missed. A CAN_ACCESS edge to an AwsResourceSet stands for
//   each resource the set INCLUDES, minus those in its except. `nhigraph blast-radius` also lists what identity policies grant on services.
MATCH (start:Principal {id: $principal})
MATCH (start)-[:CAN_ASSUME|CAN_IMPERSONATE*0..2]->(holder:Principal)-[e:CAN_ACCESS]->()-[:INCLUDES*0..1]->(resource)
WHERE NOT resource.id IN coalesce(e.except, []) AND NOT resource:AwsResourceSet
RETURN DISTINCT resource.id AS resource, holder.id AS via, e.accessLevels AS accessLevels, e.conditional AS conditional
ORDER BY resource, via;
