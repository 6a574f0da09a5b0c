// name: escalation-techniques
// description: how many privilege escalation steps of each technique the analysis found, per cloud, with the
//   number of distinct sources, to see which techniques dominate an estate.
// parameters: none
// limitations: a step to an escalation target set or to a GCP scope counts once, not once per target it stands for.
MATCH (source:Principal)-[e:CAN_ESCALATE]->()
RETURN CASE WHEN source.kind STARTS WITH 'Gcp' THEN 'gcp' ELSE 'aws' END AS cloud, e.technique AS technique,
       count(*) AS steps, count(DISTINCT source) AS sources
ORDER BY steps DESC, technique;
