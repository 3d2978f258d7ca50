package dev.opsdeck.deploy;

import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** Child process of {@link DeployRestartTest}: a server that starts one deploy, prints its id, and waits to be killed. */
public final class DeployKillChild {
    public static void main(String[] args) throws Exception {
        OpsdeckServer server = OpsdeckServer.start(Path.of(args[0]), new OpsdeckServer.Options(0, 1000));
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/services/shop/deploys"))
                                .header("Authorization", "Bearer " + TestServer.adminKey(server))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"2.0.0\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        System.out.println(
                "deploy " + TestServer.JSON.readTree(r.body()).path("id").asText());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
