package dev.nhigraph.gcp.collect;

import com.google.api.gax.httpjson.ApiMethodDescriptor;
import com.google.api.gax.httpjson.HttpJsonCallSettings;
import com.google.api.gax.httpjson.HttpJsonCallableFactory;
import com.google.api.gax.httpjson.ProtoMessageRequestFormatter;
import com.google.api.gax.httpjson.ProtoMessageResponseParser;
import com.google.api.gax.httpjson.ProtoRestSerializer;
import com.google.api.gax.rpc.ClientContext;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.iam.admin.v1.ListRolesRequest;
import com.google.iam.admin.v1.ListRolesResponse;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysResponse;
import com.google.iam.admin.v1.ListServiceAccountsRequest;
import com.google.iam.admin.v1.ListServiceAccountsResponse;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The three IAM admin methods the collector calls, over the REST transport.
 *
 * <p>google-iam-admin 3.50.0 ships only a gRPC stub, while the other clients of the collector speak HTTP/JSON, which
 * the tests serve with WireMock. So this class describes the three REST methods as the generated HTTP/JSON stubs
 * of the other Google clients do, and builds them with gax's own callable factory, retry settings and credentials.
 * It has no method that creates, signs or uploads anything: the IAM methods that return key material are absent.
 */
final class IamAdminRest {

    final UnaryCallable<ListServiceAccountsRequest, ListServiceAccountsResponse> listServiceAccounts;
    final UnaryCallable<ListServiceAccountKeysRequest, ListServiceAccountKeysResponse> listServiceAccountKeys;
    final UnaryCallable<ListRolesRequest, ListRolesResponse> listRoles;

    IamAdminRest(ClientContext context, UnaryCallSettings<?, ?> callSettings) {
        listServiceAccounts = callable(context, callSettings, descriptor("ListServiceAccounts",
                "/v1/{name=projects/*}/serviceAccounts", List.of(),
                request -> Map.of("name", request.getName()),
                request -> pageParameters(request.getPageSize(), request.getPageToken()),
                ListServiceAccountsResponse.getDefaultInstance()));
        listServiceAccountKeys = callable(context, callSettings, descriptor("ListServiceAccountKeys",
                "/v1/{name=projects/*/serviceAccounts/*}/keys", List.of(),
                request -> Map.of("name", request.getName()),
                request -> new HashMap<>(),
                ListServiceAccountKeysResponse.getDefaultInstance()));
        listRoles = callable(context, callSettings, descriptor("ListRoles",
                "/v1/{parent=projects/*}/roles", List.of("/v1/{parent=organizations/*}/roles"),
                request -> Map.of("parent", request.getParent()),
                IamAdminRest::roleParameters,
                ListRolesResponse.getDefaultInstance()));
    }

    private static Map<String, List<String>> roleParameters(ListRolesRequest request) {
        Map<String, List<String>> parameters = pageParameters(request.getPageSize(), request.getPageToken());
        parameters.put("view", List.of(request.getView().name()));
        parameters.put("showDeleted", List.of(Boolean.toString(request.getShowDeleted())));
        return parameters;
    }

    private static Map<String, List<String>> pageParameters(int pageSize, String pageToken) {
        Map<String, List<String>> parameters = new HashMap<>();
        ProtoRestSerializer<Message> serializer = ProtoRestSerializer.create();
        if (pageSize > 0) {
            serializer.putQueryParam(parameters, "pageSize", pageSize);
        }
        if (!pageToken.isEmpty()) {
            serializer.putQueryParam(parameters, "pageToken", pageToken);
        }
        return parameters;
    }

    private static <Q extends Message, R extends Message> ApiMethodDescriptor<Q, R> descriptor(
            String method, String path, List<String> additionalPaths, Function<Q, Map<String, String>> pathFields,
            Function<Q, Map<String, List<String>>> queryParameters, R defaultResponse) {
        ProtoMessageRequestFormatter<Q> formatter = ProtoMessageRequestFormatter.<Q>newBuilder()
                .setPath(path, pathFields::apply)
                .setAdditionalPaths(additionalPaths.toArray(String[]::new))
                .setQueryParamsExtractor(queryParameters::apply)
                .setRequestBodyExtractor(request -> null)
                .build();
        return ApiMethodDescriptor.<Q, R>newBuilder()
                .setFullMethodName("google.iam.admin.v1.IAM/" + method)
                .setHttpMethod("GET")
                .setType(ApiMethodDescriptor.MethodType.UNARY)
                .setRequestFormatter(formatter)
                .setResponseParser(ProtoMessageResponseParser.<R>newBuilder().setDefaultInstance(defaultResponse).build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> UnaryCallable<Q, R> callable(ClientContext context, UnaryCallSettings<?, ?> callSettings,
                                                       ApiMethodDescriptor<Q, R> descriptor) {
        HttpJsonCallSettings<Q, R> transport = HttpJsonCallSettings.<Q, R>newBuilder().setMethodDescriptor(descriptor).build();
        return HttpJsonCallableFactory.createUnaryCallable(transport, (UnaryCallSettings<Q, R>) callSettings, context);
    }
}
