package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.testing.GeneratedInput;
import io.otacancel.testing.LoopbackIot;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Any valid request, in any of its forms, is signed so that an endpoint that recomputes the
 * signature accepts it, and carries exactly the parameters the caller asked for.
 */
class ValidRequestPropertyTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** What the signer adds to every call; the rest is what the caller asked for. */
  private static final Set<String> COMMON = Set.of("Action", "Version", "Format", "AccessKeyId",
      "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature");

  private LoopbackIot iot;
  private OtaCancelFunction function;

  @BeforeProperty
  void start() throws IOException {
    iot = LoopbackIot.start();
    Map<String, String> env = iot.env();
    env.put("WEBHOOK_AUTH", "none");
    function = OtaCancelFunction.fromEnv(env);
  }

  @AfterProperty
  void stop() {
    iot.close();
  }

  @Property(tries = 50)
  void validRequest_isAcceptedByTheEndpoint_withExactlyTheParametersAsked(
      @ForAll("validRequests") Valid request) throws IOException {
    int before = iot.received().size();

    HttpResponse response = function.http(request.http(),
        Invocation.of(Duration.ofSeconds(30), null, line -> { }));

    assertEquals(200, response.status(), response.body());
    JsonNode body = MAPPER.readTree(response.body());
    assertTrue(body.get("Success").asBoolean(), response.body());
    assertEquals(List.of(), iot.refused(), "requests the endpoint refused");
    List<Map<String, String>> asked = new ArrayList<>();
    for (Map<String, String> sent : iot.received().subList(before, iot.received().size())) {
      Map<String, String> own = new TreeMap<>(sent);
      own.keySet().removeAll(COMMON);
      asked.add(own);
    }
    assertEquals(request.expectedCalls(), asked);
  }

  /** A job of a {@code Jobs} batch: its own instance and flags, or the top level's. */
  record Job(String id, String instance, Set<TaskState> states) {}

  enum Form { JOB_ID, JOB_IDS, JOBS }

  /**
   * A valid request and how it is sent: as a JSON body, or as a form unless it is a {@code
   * Jobs} batch (a form cannot say a job's own flags).
   */
  record Valid(Form form, List<Job> jobs, Set<TaskState> states, String instance,
      boolean asForm) {
    HttpRequest http() {
      String type = asForm ? "application/x-www-form-urlencoded" : "application/json";
      return HttpRequest.of("POST", "/", Map.of("Content-Type", type), Map.of(),
          (asForm ? formBody() : GeneratedInput.json(tree())).getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> tree() {
      Map<String, Object> tree = new LinkedHashMap<>();
      switch (form) {
        case JOB_ID -> tree.put("JobId", jobs.get(0).id());
        case JOB_IDS -> tree.put("JobIds", jobs.stream().map(Job::id).toList());
        case JOBS -> {
          List<Object> list = new ArrayList<>();
          for (Job job : jobs) {
            Map<String, Object> each = new LinkedHashMap<>();
            each.put("JobId", job.id());
            if (job.instance() != null) {
              each.put("IotInstanceId", job.instance());
            }
            if (job.states() != null) {
              // Every flag said, false ones too: the job's set replaces the top level's.
              for (TaskState state : TaskState.values()) {
                each.put(state.flag(), job.states().contains(state));
              }
            }
            list.add(each);
          }
          tree.put("Jobs", list);
        }
      }
      if (instance != null) {
        tree.put("IotInstanceId", instance);
      }
      for (TaskState state : states) {
        tree.put(state.flag(), true);
      }
      return tree;
    }

    private String formBody() {
      StringBuilder form = new StringBuilder();
      tree().forEach((name, value) -> {
        Object text = value instanceof List<?> ids
            ? ids.stream().map(String::valueOf).collect(Collectors.joining(",")) : value;
        form.append(form.length() == 0 ? "" : "&").append(name).append('=')
            .append(URLEncoder.encode(String.valueOf(text), StandardCharsets.UTF_8));
      });
      return form.toString();
    }

    List<Map<String, String>> expectedCalls() {
      List<Map<String, String>> calls = new ArrayList<>();
      for (Job job : jobs) {
        Map<String, String> call = new TreeMap<>();
        call.put("JobId", job.id());
        String jobInstance = job.instance() != null ? job.instance() : instance;
        if (jobInstance != null) {
          call.put("IotInstanceId", jobInstance);
        }
        for (TaskState state : job.states() != null ? job.states() : states) {
          call.put(state.flag(), "true");
        }
        calls.add(call);
      }
      return calls;
    }
  }

  @Provide
  Arbitrary<Valid> validRequests() {
    Arbitrary<Form> forms = Arbitraries.of(Form.class);
    return forms.flatMap(form -> {
      Arbitrary<List<String>> ids = form == Form.JOB_ID ? validId().list().ofSize(1)
          : validId().list().uniqueElements().ofMinSize(1).ofMaxSize(5);
      Arbitrary<Set<TaskState>> jobStates = form == Form.JOBS
          ? states().injectNull(0.5) : Arbitraries.just(null);
      Arbitrary<String> jobInstance = form == Form.JOBS
          ? validId().injectNull(0.5) : Arbitraries.just(null);
      Arbitrary<List<Job>> jobs = ids.flatMap(list -> Combinators.combine(
              jobInstance.list().ofSize(list.size()), jobStates.list().ofSize(list.size()))
          .as((instances, sets) -> {
            List<Job> result = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
              result.add(new Job(list.get(i), instances.get(i), sets.get(i)));
            }
            return result;
          }));
      return Combinators.combine(jobs, states(), validId().injectNull(0.5),
              Arbitraries.of(true, false))
          .as((list, states, instance, asForm) -> new Valid(form, list, states, instance,
              asForm && form != Form.JOBS));
    });
  }

  /** Any non-empty set of states. */
  private static Arbitrary<Set<TaskState>> states() {
    return Arbitraries.of(TaskState.class).set().ofMinSize(1)
        .map(set -> Set.copyOf(EnumSet.copyOf(set)));
  }

  /** An id the validator accepts: 1 to 128 letters, digits, '-', '_' and '.'; mostly short. */
  private static Arbitrary<String> validId() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(24),
        Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1)
            .ofMaxLength(CancelRequest.MAX_ID_LENGTH));
  }
}
