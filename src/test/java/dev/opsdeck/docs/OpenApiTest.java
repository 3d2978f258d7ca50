package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps src/main/resources/openapi.yaml (served at /api/v1/openapi.yaml) in step with the code: the
 * routes registered in ApiRoutes, and the JSON field names built in Views and ApiRoutes.
 */
class OpenApiTest {
    static final Path OPENAPI = Path.of("src", "main", "resources", "openapi.yaml");
    static final Path ROUTES = Path.of("src", "main", "java", "dev", "opsdeck", "api", "ApiRoutes.java");
    static final Path VIEWS = Path.of("src", "main", "java", "dev", "opsdeck", "api", "Views.java");
    private static final Pattern ROUTE = Pattern.compile("\\br\\.(get|post|put|patch|delete|head)\\(\"([^\"]+)\"");
    private static final Pattern PUT = Pattern.compile("\\.put\\(\"([^\"]+)\"");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options", "trace");

    static Map<String, Object> doc;

    @BeforeAll
    static void parse() throws IOException {
        doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(OPENAPI));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    /** "GET /api/v1/services" for every route the code registers. */
    static Set<String> routesInCode() throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher m = ROUTE.matcher(Files.readString(ROUTES));
        while (m.find()) out.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
        return out;
    }

    static Set<String> routesInDocument() {
        Set<String> out = new TreeSet<>();
        map(doc.get("paths")).forEach((path, item) -> map(item).keySet().stream().filter(METHODS::contains)
                .forEach(method -> out.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return out;
    }

    @Test
    void isOpenApi31() {
        assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.1.");
        assertThat(map(doc.get("info"))).containsKeys("title", "version");
    }

    @Test
    void documentsEveryRouteOfApiRoutesAndNoOther() throws IOException {
        Set<String> code = routesInCode();
        assertThat(code).as("routes found in %s", ROUTES).hasSizeGreaterThanOrEqualTo(9);
        assertThat(routesInDocument()).isEqualTo(code);
    }

    @Test
    void everyOperationIsComplete() {
        Set<String> operationIds = new TreeSet<>();
        map(doc.get("paths")).forEach((path, item) -> map(item).forEach((method, op) -> {
            if (!METHODS.contains(method)) return;
            Map<String, Object> operation = map(op);
            assertThat(operationIds.add(String.valueOf(operation.get("operationId"))))
                    .as("unique operationId on %s %s", method, path).isTrue();
            assertThat(map(operation.get("responses"))).as("responses of %s %s", method, path).isNotEmpty();
            List<String> declared = new ArrayList<>();
            Object params = operation.get("parameters");
            if (params instanceof List<?> list) {
                for (Object p : list) {
                    Map<String, Object> param = map(p);
                    if ("path".equals(param.get("in"))) {
                        assertThat(param.get("required")).as("path parameter %s is required", param.get("name")).isEqualTo(true);
                        declared.add(String.valueOf(param.get("name")));
                    }
                }
            }
            List<String> inPath = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) inPath.add(m.group(1));
            assertThat(declared).as("path parameters of %s %s", method, path).containsExactlyInAnyOrderElementsOf(inPath);
        }));
    }

    @Test
    void errorResponsesAreProblemDocuments() {
        map(doc.get("paths")).forEach((path, item) -> map(item).forEach((method, op) -> {
            if (!METHODS.contains(method)) return;
            map(map(op).get("responses")).forEach((code, response) -> {
                if (Integer.parseInt(code) < 400 || path.equals("/ready")) return;
                Map<String, Object> r = map(response);
                if (r.containsKey("$ref")) r = resolve(String.valueOf(r.get("$ref")));
                Map<String, Object> content = map(r.get("content"));
                assertThat(content.keySet()).as("%s %s %s", method, path, code).containsExactly("application/problem+json");
                assertThat(map(map(content.get("application/problem+json")).get("schema")))
                        .containsEntry("$ref", "#/components/schemas/Problem");
            });
        }));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(resolve(ref)).as(ref).isNotNull();
        }
    }

    /** The property names of each schema are exactly the keys the code puts into that JSON object. */
    @Test
    void schemasHaveTheFieldsTheCodeWrites() throws IOException {
        String views = Files.readString(VIEWS);
        String routes = Files.readString(ROUTES);
        assertProperties("Service", puts(views, "static Map<String, Object> service("));
        assertProperties("Check", puts(views, "static Map<String, Object> check("));
        assertProperties("Bucket", puts(views, "static Map<String, Object> bucket("));
        assertProperties("Result", puts(views, "static Map<String, Object> raw("));
        assertProperties("Readiness", puts(routes, "private void ready("));
        assertProperties("History", puts(routes, "private void history("));
        assertProperties("ConfigStatus", puts(routes, "private void configStatus("));
    }

    private static void assertProperties(String schema, Set<String> fields) {
        assertThat(fields).as("fields the code writes for %s", schema).isNotEmpty();
        Map<String, Object> s = map(map(map(doc.get("components")).get("schemas")).get(schema));
        assertThat(new TreeSet<>(map(s.get("properties")).keySet())).as("properties of schema %s", schema).isEqualTo(fields);
        Object required = s.get("required");
        if (required instanceof List<?> list) {
            assertThat(fields).as("required properties of %s", schema).containsAll(list.stream().map(String::valueOf).toList());
        }
    }

    /** Keys of every {@code .put("key", ...)} in the method starting at {@code declaration}. */
    private static Set<String> puts(String source, String declaration) {
        int start = source.indexOf(declaration);
        assertThat(start).as("method %s", declaration).isNotNegative();
        int end = source.indexOf("\n    }\n", start);
        Set<String> out = new TreeSet<>();
        Matcher m = PUT.matcher(source.substring(start, end < 0 ? source.length() : end));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static void collectRefs(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) out.add(String.valueOf(v));
                else collectRefs(v, out);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    private static Map<String, Object> resolve(String ref) {
        assertThat(ref).startsWith("#/");
        Object node = doc;
        for (String part : ref.substring(2).split("/")) {
            node = map(node).get(part.replace("~1", "/").replace("~0", "~"));
            assertThat(node).as("%s resolves", ref).isNotNull();
        }
        return map(node);
    }
}
