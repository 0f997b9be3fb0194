package io.otacancel.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the cancel request a caller sent, as JSON or as form/query parameters, into a {@link
 * CancelCommand}.
 *
 * <p>Field names are the API's own ({@code JobId}, {@code CancelQueuedTask}, ...). The batch
 * forms are {@code {"JobIds": [...], <flags>}} and {@code {"Jobs": [{...}, ...]}}; in the latter,
 * top-level flags and {@code IotInstanceId} are defaults for each job. Unknown fields are refused
 * by name: a typo such as {@code CancelQueuedTasks} must not silently cancel nothing.
 */
final class RequestParser {
  private static final String JOB_ID = "JobId";
  private static final String JOB_IDS = "JobIds";
  private static final String JOBS = "Jobs";
  private static final String INSTANCE = "IotInstanceId";
  private static final Set<String> JOB_FIELDS = fieldNames(JOB_ID, INSTANCE);
  private static final Set<String> TOP_FIELDS = fieldNames(JOB_ID, JOB_IDS, JOBS, INSTANCE);
  private static final int MAX_SHOWN_LENGTH = 64;
  private static final int MAX_SHOWN_NAMES = 5;

  private RequestParser() {}

  private static Set<String> fieldNames(String... names) {
    Set<String> fields = new LinkedHashSet<>(Arrays.asList(names));
    for (TaskState state : TaskState.values()) {
      fields.add(state.flag());
    }
    return Collections.unmodifiableSet(fields);
  }

  /** Parses a JSON request body. */
  public static CancelCommand parseJson(byte[] json) {
    return parseTree(Json.parse(json));
  }

  /**
   * Reads a request from an already parsed JSON tree (e.g. the {@code detail} of a scheduled
   * event).
   */
  public static CancelCommand parseTree(Object tree) {
    Map<String, Object> request = Json.asObject(tree);
    if (request == null) {
      throw new InvalidRequestException(null, "The request must be a JSON object");
    }
    return parseObject(request);
  }

  /**
   * Reads a request from form or query parameters. {@code JobIds} may repeat or be
   * comma-separated; every other parameter must appear once.
   */
  public static CancelCommand parseParameters(Map<String, List<String>> parameters) {
    Map<String, Object> request = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      List<String> values = parameter.getValue();
      if (name.equals(JOB_IDS)) {
        List<Object> ids = new ArrayList<>();
        for (String value : values) {
          for (String id : value.split(",", -1)) {
            ids.add(id.trim());
          }
        }
        request.put(name, ids);
      } else if (values.size() != 1) {
        throw new InvalidRequestException(name, shown(name) + " must be given once");
      } else {
        request.put(name, values.get(0));
      }
    }
    return parseObject(request);
  }

  private static CancelCommand parseObject(Map<String, Object> request) {
    rejectUnknown(request, TOP_FIELDS);
    int forms = (request.containsKey(JOB_ID) ? 1 : 0) + (request.containsKey(JOB_IDS) ? 1 : 0)
        + (request.containsKey(JOBS) ? 1 : 0);
    if (forms == 0) {
      throw new InvalidRequestException(JOB_ID,
          "JobId is required (or JobIds / Jobs for a batch)");
    }
    if (forms > 1) {
      throw new InvalidRequestException(JOB_ID, "Use only one of JobId, JobIds and Jobs");
    }
    Set<TaskState> states = states(request, EnumSet.noneOf(TaskState.class));
    String instance = string(request, INSTANCE, null);
    if (request.containsKey(JOB_ID)) {
      return CancelCommand.single(
          CancelRequest.of(string(request, JOB_ID, null), states, instance));
    }
    List<CancelRequest> requests = new ArrayList<>();
    if (request.containsKey(JOB_IDS)) {
      List<?> ids = array(request.get(JOB_IDS), JOB_IDS);
      CancelRequest.checkStates(states);
      for (int i = 0; i < ids.size(); i++) {
        try {
          requests.add(CancelRequest.of(asString(ids.get(i), JOB_ID), states, instance));
        } catch (InvalidRequestException e) {
          throw at(JOB_IDS + "[" + i + "]", e);
        }
      }
    } else {
      List<?> jobs = array(request.get(JOBS), JOBS);
      for (int i = 0; i < jobs.size(); i++) {
        try {
          requests.add(job(jobs.get(i), states, instance));
        } catch (InvalidRequestException e) {
          throw at(JOBS + "[" + i + "]", e);
        }
      }
    }
    return CancelCommand.batch(requests, request.containsKey(JOB_IDS) ? JOB_IDS : JOBS);
  }

  private static CancelRequest job(Object tree, Set<TaskState> defaults, String instance) {
    Map<String, Object> job = Json.asObject(tree);
    if (job == null) {
      throw new InvalidRequestException(null, "must be a JSON object");
    }
    rejectUnknown(job, JOB_FIELDS);
    if (!job.containsKey(JOB_ID)) {
      throw new InvalidRequestException(JOB_ID, "JobId is required");
    }
    Set<TaskState> states = EnumSet.noneOf(TaskState.class);
    states.addAll(defaults);
    return CancelRequest.of(string(job, JOB_ID, null), states(job, states),
        string(job, INSTANCE, instance));
  }

  /** The same failure with the job's position in the batch in front. */
  private static InvalidRequestException at(String position, InvalidRequestException e) {
    return new InvalidRequestException(e.field() == null ? position : position + "." + e.field(),
        position + ": " + e.getMessage());
  }

  private static void rejectUnknown(Map<String, Object> object, Set<String> known) {
    List<String> unknown = new ArrayList<>();
    for (String name : object.keySet()) {
      if (!known.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String name : unknown.subList(0, Math.min(unknown.size(), MAX_SHOWN_NAMES))) {
        names.add(shown(name));
      }
      throw new InvalidRequestException(unknown.get(0), (unknown.size() == 1
          ? "Unknown field " : "Unknown fields ") + String.join(", ", names)
          + (unknown.size() > MAX_SHOWN_NAMES ? ", …" : "")
          + "; expected " + String.join(", ", known));
    }
  }

  /**
   * A caller's name as an error message shows it: cut to {@value #MAX_SHOWN_LENGTH} characters,
   * so a hostile request cannot make the answer and the log line as large as itself.
   */
  static String shown(String name) {
    return name.length() <= MAX_SHOWN_LENGTH ? name
        : name.substring(0, MAX_SHOWN_LENGTH) + "…";
  }

  private static Set<TaskState> states(Map<String, Object> object, Set<TaskState> states) {
    for (TaskState state : TaskState.values()) {
      if (object.containsKey(state.flag())) {
        if (flag(object.get(state.flag()), state.flag())) {
          states.add(state);
        } else {
          states.remove(state);
        }
      }
    }
    return states;
  }

  private static boolean flag(Object value, String field) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      String text = ((String) value).trim();
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw new InvalidRequestException(field, field + " must be true or false");
  }

  private static String string(Map<String, Object> object, String name, String fallback) {
    if (!object.containsKey(name)) {
      return fallback;
    }
    return asString(object.get(name), name);
  }

  private static String asString(Object value, String field) {
    if (!(value instanceof String)) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return (String) value;
  }

  private static List<?> array(Object value, String field) {
    if (!(value instanceof List)) {
      throw new InvalidRequestException(field, field + " must be a JSON array");
    }
    return (List<?>) value;
  }
}
