package io.otacancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks the deployment descriptors (template.yaml, s.yaml) and the sample events under events/
 * against the platforms' schemas and against the fixed contract (handler names, jar path,
 * runtimes, SnapStart, secrets). Reads files only; needs no main code.
 */
class DeploymentTemplatesTest {

    static final String AWS_HANDLER = "io.otacancel.aws.LambdaHandler::handleRequest";
    static final String FC_HANDLER = "io.otacancel.fc.FcHandler::handleRequest";
    static final String FC_INITIALIZER = "io.otacancel.fc.FcHandler::initialize";
    static final String JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static Path root;
    static Schema samSchema;
    static Schema fc3Schema;
    static Map<String, Object> template;
    static Map<String, Object> sYaml;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        samSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(resource("/schemas/sam.schema.json"), InputFormat.JSON);
        fc3Schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(resource("/schemas/fc3-props.schema.json"), InputFormat.JSON);
        template = cfnYaml().load(Files.readString(root.resolve("template.yaml")));
        sYaml = plainYaml().load(Files.readString(root.resolve("s.yaml")));
    }

    // ---------------------------------------------------------------- (a) SAM template

    @Test
    void samTemplateValidatesAgainstSamSchema() {
        assertValid(samSchema, template, "template.yaml");
    }

    @Test
    void samSchemaValidationIsNotVacuous() {
        // A misspelt function property and a misspelt event type must both be rejected,
        // proving the validator really walks into AWS::Serverless::Function.
        Map<String, Object> broken = deepCopy(template);
        map(map(map(broken, "Resources"), "OtaCancelFunction"), "Properties").put("SnapStartt", Map.of());
        assertFalse(samSchema.validate(toJson(broken), InputFormat.JSON).isEmpty(), "typo in a property must fail");

        broken = deepCopy(template);
        map(map(map(map(map(broken, "Resources"), "OtaCancelFunction"), "Properties"), "Events"), "CancelPost")
                .put("Type", "HttpAPI");
        assertFalse(samSchema.validate(toJson(broken), InputFormat.JSON).isEmpty(), "unknown event type must fail");
    }

    @Test
    void samTemplateHonoursContract() {
        assertEquals("AWS::Serverless-2016-10-31", template.get("Transform"));
        Map<String, Object> fn = onlyFunction();
        Map<String, Object> props = map(fn, "Properties");
        assertEquals("java21", props.get("Runtime"));
        assertEquals(AWS_HANDLER, props.get("Handler"));
        assertEquals("target/ota-cancel.jar", props.get("CodeUri"));
        assertEquals("live", props.get("AutoPublishAlias"));
        assertEquals("PublishedVersions", map(props, "SnapStart").get("ApplyOn"));
        assertInstanceOf(Integer.class, props.get("MemorySize"));
        assertInstanceOf(Integer.class, props.get("Timeout"));

        Map<String, Object> env = map(map(props, "Environment"), "Variables");
        for (String key : List.of("IOT_REGION_ID", "IOT_INSTANCE_ID", "WEBHOOK_SECRET",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "JAVA_TOOL_OPTIONS")) {
            assertTrue(env.containsKey(key), "missing env var " + key);
        }
        assertEquals(JAVA_TOOL_OPTIONS, env.get("JAVA_TOOL_OPTIONS"));
        env.keySet().forEach(k -> assertFalse(k.startsWith("AWS_") || k.startsWith("_"), "reserved env var " + k));

        // HTTP API: GET and POST on the same path.
        Map<String, Object> events = map(props, "Events");
        Set<String> httpMethods = new TreeSet<>();
        Set<String> httpPaths = new TreeSet<>();
        List<Map<String, Object>> schedules = new ArrayList<>();
        for (Object e : events.values()) {
            Map<String, Object> ev = asMap(e);
            if ("HttpApi".equals(ev.get("Type"))) {
                httpMethods.add(String.valueOf(map(ev, "Properties").get("Method")).toUpperCase());
                httpPaths.add(String.valueOf(map(ev, "Properties").get("Path")));
            } else if ("ScheduleV2".equals(ev.get("Type"))) {
                schedules.add(map(ev, "Properties"));
            }
        }
        assertEquals(Set.of("GET", "POST"), httpMethods);
        assertEquals(1, httpPaths.size(), "GET and POST share one path");
        assertEquals(1, schedules.size(), "one ScheduleV2 event");

        // ScheduleV2 Input: after resolving !Sub/!Join/!Ref with parameter defaults it is a cancel request.
        Object input = resolveCfn(schedules.get(0).get("Input"), map(template, "Parameters"));
        JsonNode request = parseJson((String) input, "ScheduleV2 Input");
        assertCancelRequest(request, "ScheduleV2 Input");
        assertEquals(readJson("events/aws/schedule.json"), request,
                "events/aws/schedule.json should be what the default schedule delivers");
        Object mode = map(schedules.get(0), "FlexibleTimeWindow").get("Mode");
        assertEquals("OFF", mode, "Mode must be the string OFF (unquoted OFF is a YAML boolean)");

        // Outputs: the HTTP API URL.
        String outputs = toJson(template.get("Outputs"));
        assertTrue(outputs.contains("ServerlessHttpApi") && outputs.contains("execute-api"), outputs);
    }

    @Test
    void samSecretsComeFromNoEchoParameters() {
        Map<String, Object> params = map(template, "Parameters");
        Map<String, Object> env = map(map(map(onlyFunction(), "Properties"), "Environment"), "Variables");
        for (String key : List.of("WEBHOOK_SECRET", "WEBHOOK_TOKEN",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET")) {
            Object value = env.get(key);
            assertNotNull(value, key);
            if (value instanceof Map<?, ?> m && m.containsKey("Ref")) {
                Map<String, Object> p = map(params, String.valueOf(m.get("Ref")));
                assertEquals(Boolean.TRUE, p.get("NoEcho"), key + " must come from a NoEcho parameter");
                Object def = p.get("Default");
                assertTrue(def == null || "".equals(def), key + ": a secret parameter must not have a default");
            } else {
                // The alternative: a Secrets Manager dynamic reference, never a literal.
                assertTrue(toJson(value).contains("{{resolve:secretsmanager:"), key + " is neither NoEcho nor a secret");
            }
        }
    }

    // ---------------------------------------------------------------- (b) s.yaml

    @Test
    void fc3PropsValidateAgainstFc3Schema() {
        List<Map<String, Object>> resources = fc3Resources();
        assertFalse(resources.isEmpty(), "s.yaml has no fc3 resource");
        for (Map<String, Object> r : resources) {
            assertValid(fc3Schema, resolveServerlessDevs(r.get("props")), "s.yaml props");
        }
    }

    @Test
    void fc3SchemaValidationIsNotVacuous() {
        Map<String, Object> props = asMap(resolveServerlessDevs(fc3Resources().get(0).get("props")));
        Map<String, Object> broken = deepCopy(props);
        broken.put("memorySize", 500); // not a multiple of 64
        assertFalse(fc3Schema.validate(toJson(broken), InputFormat.JSON).isEmpty(), "memorySize 500 must fail");
        broken = deepCopy(props);
        broken.put("runtime", "java21"); // FC has no built-in java21
        assertFalse(fc3Schema.validate(toJson(broken), InputFormat.JSON).isEmpty(), "runtime java21 must fail");
        broken = deepCopy(props);
        broken.remove("handler"); // draft-07 if/then/else: built-in runtimes require a handler
        assertFalse(fc3Schema.validate(toJson(broken), InputFormat.JSON).isEmpty(), "missing handler must fail");
    }

    @Test
    void sYamlHonoursContract() {
        assertEquals("3.0.0", String.valueOf(sYaml.get("edition")));
        for (Map<String, Object> r : fc3Resources()) {
            Map<String, Object> props = map(r, "props");
            assertEquals("java11", props.get("runtime"));
            assertEquals("./target/ota-cancel.jar", props.get("code"));
            assertEquals(FC_HANDLER, props.get("handler"));
            assertEquals(FC_INITIALIZER, map(map(props, "instanceLifecycleConfig"), "initializer").get("handler"));
            assertInstanceOf(Integer.class, props.get("memorySize"));
            assertInstanceOf(Integer.class, props.get("timeout"));
            assertTrue(String.valueOf(props.get("role")).startsWith("acs:ram::"), "role must be a RAM role ARN");

            Map<String, Object> env = map(props, "environmentVariables");
            for (String key : List.of("IOT_REGION_ID", "IOT_INSTANCE_ID", "WEBHOOK_SECRET", "JAVA_TOOL_OPTIONS")) {
                assertTrue(env.containsKey(key), "missing env var " + key);
            }
            assertEquals("${env('WEBHOOK_SECRET')}", env.get("WEBHOOK_SECRET"));
            assertEquals(JAVA_TOOL_OPTIONS, env.get("JAVA_TOOL_OPTIONS"));
            env.keySet().forEach(k -> assertFalse(k.startsWith("FC_"), "FC_ env vars are reserved: " + k));
            assertFalse(env.containsKey("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), "FC injects the role's credentials");

            List<Map<String, Object>> triggers = list(props, "triggers");
            Map<String, Object> http = single(triggers, "http");
            Map<String, Object> httpConfig = map(http, "triggerConfig");
            assertEquals(Set.of("GET", "POST"), Set.copyOf(list(httpConfig, "methods")));
            assertTrue(Set.of("anonymous", "function").contains(httpConfig.get("authType")));

            Map<String, Object> timer = single(triggers, "timer");
            Object payload = map(timer, "triggerConfig").get("payload");
            assertInstanceOf(String.class, payload, "timer payload must be a string");
            JsonNode request = parseJson((String) payload, "timer payload");
            assertCancelRequest(request, "timer payload");
            JsonNode sample = readJson("events/fc/timer.json");
            assertEquals(request, parseJson(sample.get("payload").asText(), "events/fc/timer.json payload"),
                    "events/fc/timer.json should carry the s.yaml timer payload");

            String preDeploy = toJson(map(r, "actions").get("pre-deploy"));
            assertTrue(preDeploy.contains("mvn -B -q package -DskipTests"), preDeploy);
        }
    }

    // ---------------------------------------------------------------- (d) events/

    @Test
    void everyEventFileIsValidJson() throws IOException {
        Path dir = root.resolve("events");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        Set<String> seen = new TreeSet<>();
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (rel.equals("README.md")) {
                continue;
            }
            assertTrue(rel.endsWith(".json"), "only .json samples (and README.md) belong in events/: " + rel);
            readJson("events/" + rel);
            seen.add(rel);
        }
        Set<String> expected = Set.of(
                "aws/http-api.json", "aws/http-api-base64.json", "aws/http-api-get.json", "aws/rest-api.json",
                "aws/function-url.json", "aws/schedule.json", "aws/scheduled-event.json", "aws/direct.json",
                "fc/http.json", "fc/http-get.json", "fc/timer.json", "fc/direct.json");
        assertTrue(seen.containsAll(expected), "missing samples: " + difference(expected, seen));
    }

    @Test
    void eventSamplesCarryPlausibleCancelRequests() {
        JsonNode post = readJson("events/aws/http-api.json");
        assertEquals("2.0", post.path("version").asText());
        assertEquals("Bearer demo-token", post.path("headers").path("authorization").asText());
        assertCancelRequest(parseJson(post.path("body").asText(), "http-api body"), "http-api body");

        JsonNode b64 = readJson("events/aws/http-api-base64.json");
        assertTrue(b64.path("isBase64Encoded").asBoolean());
        String decoded = new String(Base64.getDecoder().decode(b64.path("body").asText()), StandardCharsets.UTF_8);
        assertEquals(post.path("body").asText(), decoded);

        JsonNode get = readJson("events/aws/http-api-get.json");
        assertEquals("GET", get.path("requestContext").path("http").path("method").asText());
        assertEquals("demo-job-1", get.path("queryStringParameters").path("JobId").asText());

        JsonNode rest = readJson("events/aws/rest-api.json");
        assertEquals("POST", rest.path("httpMethod").asText());
        assertEquals("JobId=demo-job-1&CancelQueuedTask=true", rest.path("body").asText());

        JsonNode url = readJson("events/aws/function-url.json");
        assertTrue(url.path("requestContext").path("domainName").asText().contains(".lambda-url."));
        assertCancelRequest(parseJson(url.path("body").asText(), "function-url body"), "function-url body");

        JsonNode classic = readJson("events/aws/scheduled-event.json");
        assertEquals("Scheduled Event", classic.path("detail-type").asText());
        assertCancelRequest(classic.path("detail"), "scheduled-event detail");

        assertCancelRequest(readJson("events/aws/schedule.json"), "aws/schedule.json");
        assertEquals("demo-job-1", readJson("events/aws/direct.json").path("JobId").asText());

        JsonNode fcPost = readJson("events/fc/http.json");
        assertEquals("v1", fcPost.path("version").asText());
        assertTrue(fcPost.path("requestContext").path("timeEpoch").isTextual(), "FC timeEpoch is a string");
        assertEquals("Bearer demo-token", fcPost.path("headers").path("Authorization").asText());
        assertCancelRequest(parseJson(fcPost.path("body").asText(), "fc http body"), "fc http body");

        JsonNode fcGet = readJson("events/fc/http-get.json");
        assertEquals("GET", fcGet.path("requestContext").path("http").path("method").asText());
        assertEquals("demo-job-1", fcGet.path("queryParameters").path("JobId").asText());

        JsonNode timer = readJson("events/fc/timer.json");
        assertTrue(timer.path("payload").isTextual(), "FC timer payload is a string");
        assertCancelRequest(parseJson(timer.path("payload").asText(), "fc timer payload"), "fc timer payload");
        assertEquals("demo-job-1", readJson("events/fc/direct.json").path("JobId").asText());
    }

    // ---------------------------------------------------------------- helpers: contract

    static void assertCancelRequest(JsonNode req, String what) {
        assertTrue(req.isObject(), what + " is not a JSON object");
        boolean single = req.path("JobId").isTextual() && !req.path("JobId").asText().isBlank();
        boolean batch = req.path("JobIds").isArray() && req.path("JobIds").size() > 0;
        boolean jobs = req.path("Jobs").isArray() && req.path("Jobs").size() > 0;
        assertTrue(single || batch || jobs, what + " has no JobId / JobIds / Jobs: " + req);
        if (batch) {
            req.path("JobIds").forEach(id -> assertTrue(id.isTextual() && !id.asText().isBlank(), what + ": " + id));
        }
        if (!jobs) {
            boolean anyCancel = Stream.of("CancelQueuedTask", "CancelNotifiedTask", "CancelInProgressTask",
                    "CancelScheduledTask", "CancelUnconfirmedTask").anyMatch(f -> req.path(f).asBoolean(false));
            assertTrue(anyCancel, what + " cancels nothing: " + req);
        }
    }

    Map<String, Object> onlyFunction() {
        List<Map<String, Object>> fns = map(template, "Resources").values().stream()
                .map(DeploymentTemplatesTest::asMap)
                .filter(r -> "AWS::Serverless::Function".equals(r.get("Type")))
                .collect(Collectors.toList());
        assertEquals(1, fns.size(), "exactly one AWS::Serverless::Function");
        return fns.get(0);
    }

    static List<Map<String, Object>> fc3Resources() {
        return map(sYaml, "resources").values().stream()
                .map(DeploymentTemplatesTest::asMap)
                .filter(r -> "fc3".equals(r.get("component")))
                .collect(Collectors.toList());
    }

    static Map<String, Object> single(List<Map<String, Object>> triggers, String type) {
        List<Map<String, Object>> found = triggers.stream()
                .filter(t -> type.equals(t.get("triggerType"))).collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one " + type + " trigger");
        return found.get(0);
    }

    // ---------------------------------------------------------------- helpers: CloudFormation

    /** CloudFormation short-form intrinsics become their long form: !Ref x -> {"Ref": x}, !Sub s -> {"Fn::Sub": s}. */
    static final class CfnConstructor extends SafeConstructor {
        static final List<String> FUNCTIONS = List.of("Ref", "Condition", "Sub", "GetAtt", "Join", "Select", "Split",
                "If", "Equals", "Not", "And", "Or", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue",
                "Transform", "ToJsonString", "Length");

        CfnConstructor(LoaderOptions options) {
            super(options);
            for (String fn : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + fn), new Intrinsic(fn));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode seq) {
                    value = constructSequence(seq);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (name.equals("GetAtt") && value instanceof String s) {
                    value = List.of(s.split("\\.", 2)); // !GetAtt A.B -> ["A", "B"]
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name, value);
                return out;
            }
        }
    }

    static Yaml cfnYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new CfnConstructor(options));
    }

    static Yaml plainYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /** Resolves Ref / Fn::Sub / Fn::Join against parameter defaults, enough to read a literal such as Input. */
    static Object resolveCfn(Object node, Map<String, Object> params) {
        if (node instanceof String) {
            return node;
        }
        Map<String, Object> fn = asMap(node);
        assertEquals(1, fn.size(), "not an intrinsic function: " + fn);
        Map.Entry<String, Object> e = fn.entrySet().iterator().next();
        switch (e.getKey()) {
            case "Ref": {
                String name = (String) e.getValue();
                Map<String, Object> p = map(params, name);
                String def = String.valueOf(p.get("Default"));
                return "CommaDelimitedList".equals(p.get("Type")) ? List.of(def.split(",", -1)) : def;
            }
            case "Fn::Join": {
                List<?> args = (List<?>) e.getValue();
                Object items = resolveCfn(args.get(1), params);
                List<?> list = items instanceof List<?> l ? l : List.of(items);
                return list.stream().map(i -> String.valueOf(resolveCfn(i, params)))
                        .collect(Collectors.joining((String) args.get(0)));
            }
            case "Fn::Sub": {
                String text;
                Map<String, Object> vars = Map.of();
                if (e.getValue() instanceof List<?> args) {
                    text = (String) args.get(0);
                    vars = asMap(args.get(1));
                } else {
                    text = (String) e.getValue();
                }
                Matcher m = SUB_VAR.matcher(text);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1);
                    Object v = vars.containsKey(name) ? resolveCfn(vars.get(name), params)
                            : resolveCfn(Map.of("Ref", name), params);
                    m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(v)));
                }
                m.appendTail(sb);
                return sb.toString().replace("${!", "${");
            }
            default:
                fail("intrinsic not supported by this test's resolver: " + e.getKey());
                return null;
        }
    }

    // ---------------------------------------------------------------- helpers: Serverless Devs

    private static final Pattern SD_EXPR = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern SD_VARS = Pattern.compile("vars\\.([A-Za-z0-9_]+)");
    private static final Pattern SD_ENV = Pattern.compile("env\\(\\s*'([^']+)'\\s*(?:,\\s*'([^']*)'\\s*)?\\)");
    private static final Pattern SD_CONFIG = Pattern.compile("config\\(\\s*'AccountID'\\s*\\)");

    /**
     * Replaces ${...} with what `s deploy` would plausibly resolve: vars.X from the vars block,
     * env('X', 'default') with its default (or a dummy value), config('AccountID') with a dummy
     * account id. The deployer's real environment is deliberately ignored.
     */
    static Object resolveServerlessDevs(Object node) {
        if (node instanceof String s) {
            Matcher m = SD_EXPR.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String expr = m.group(1).trim();
                String value;
                Matcher v;
                if ((v = SD_VARS.matcher(expr)).matches()) {
                    Object raw = map(sYaml, "vars").get(v.group(1));
                    assertNotNull(raw, "undefined ${" + expr + "}");
                    value = String.valueOf(resolveServerlessDevs(raw));
                } else if ((v = SD_ENV.matcher(expr)).matches()) {
                    value = v.group(2) != null ? v.group(2) : "test-value-of-" + v.group(1);
                } else if (SD_CONFIG.matcher(expr).matches()) {
                    value = "1234567890123456";
                } else {
                    fail("expression not supported by this test's resolver: ${" + expr + "}");
                    return null;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), resolveServerlessDevs(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(DeploymentTemplatesTest::resolveServerlessDevs).collect(Collectors.toList());
        }
        return node;
    }

    // ---------------------------------------------------------------- helpers: generic

    static void assertValid(Schema schema, Object document, String what) {
        List<Error> errors = schema.validate(toJson(document), InputFormat.JSON);
        if (!errors.isEmpty()) {
            fail(what + " does not validate (" + errors.size() + " errors):\n" + errors.stream().limit(30)
                    .map(err -> "  " + err.toString()).collect(Collectors.joining("\n")));
        }
    }

    static String resource(String name) {
        try (InputStream in = DeploymentTemplatesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(String relative) {
        try {
            return JSON.readTree(Files.readString(root.resolve(relative)));
        } catch (IOException e) {
            throw new AssertionError(relative + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode parseJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(what + " is not valid JSON: " + e.getMessage() + "\n" + text, e);
        }
    }

    static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> m) {
        try {
            return JSON.readValue(toJson(m), LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        assertInstanceOf(Map.class, o, "expected a mapping");
        return (Map<String, Object>) o;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertNotNull(child, "missing key " + key);
        return asMap(child);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertInstanceOf(List.class, child, "expected a list at " + key);
        return (List<T>) child;
    }

    static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
