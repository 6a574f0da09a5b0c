package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy whose Condition block cannot be compiled is skipped while the files are parsed. Before, it passed the
 * shape check and stopped the derivation after the facts were stored, leaving the unfinished-load marker.
 */
class MalformedConditionLoadTest {

    @TempDir
    Path work;

    @Test
    void emptyConditionOperator_policySkippedLoadFinishes() throws IOException {
        Path export = work.resolve("authorization-details.json");
        Files.writeString(export, """
                {"UserDetailList": [], "GroupDetailList": [], "Policies": [],
                 "RoleDetailList": [{
                   "Path": "/", "RoleName": "builder", "RoleId": "AROAEXAMPLEROLE00002",
                   "Arn": "arn:aws:iam::123456789012:role/builder", "CreateDate": "2024-01-01 00:00:00+00:00",
                   "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                     "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]},
                   "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
                   "RolePolicyList": [
                     {"PolicyName": "empty-operator", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                       {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {}}}]}},
                     {"PolicyName": "read-logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                       {"Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": "*"}]}}]
                 }]}
                """);

        LoadResult result = SharedGraph.resetAndLoad(export);

        List<SkippedItem> skipped = result.skipped().stream().filter(s -> s.item().contains("empty-operator")).toList();
        assertEquals(1, skipped.size(), result.skipped().toString());
        assertTrue(skipped.get(0).reason().contains("invalid Condition"), skipped.get(0).reason());
        assertEquals(1, result.inlinePolicies(), "the valid inline policy was not loaded");
        assertNull(UnfinishedLoad.find(SharedGraph.store()), "the load left the unfinished-load marker");
    }
}
