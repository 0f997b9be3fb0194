package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestParserTest {
  private static final String ALL_FLAGS = "CancelScheduledTask, CancelQueuedTask, "
      + "CancelNotifiedTask, CancelInProgressTask, CancelUnconfirmedTask";

  @Test
  void singleRequest_withTheApisFieldNames() {
    CancelCommand command = json("{\"JobId\":\"job-1\",\"CancelQueuedTask\":true,"
        + "\"CancelInProgressTask\":\"true\",\"CancelNotifiedTask\":false,"
        + "\"IotInstanceId\":\"iot-cn-1\"}");

    assertFalse(command.isBatch());
    CancelRequest request = command.requests().get(0);
    assertEquals("job-1", request.jobId());
    assertEquals("iot-cn-1", request.iotInstanceId());
    assertEquals(EnumSet.of(TaskState.QUEUED, TaskState.IN_PROGRESS), request.states());
  }

  @Test
  void everyFlag_mapsToItsState() {
    for (TaskState state : TaskState.values()) {
      CancelCommand command = json("{\"JobId\":\"j\",\"" + state.flag() + "\":true}");
      assertEquals(EnumSet.of(state), command.requests().get(0).states());
    }
  }

  @Test
  void jobIds_shareTheFlags_andDuplicatesAreRemoved() {
    CancelCommand command = json(
        "{\"JobIds\":[\"a\",\"b\",\"a\"],\"CancelQueuedTask\":true,\"IotInstanceId\":\"i\"}");

    assertTrue(command.isBatch());
    assertEquals(2, command.requests().size());
    assertEquals("b", command.requests().get(1).jobId());
    assertEquals("i", command.requests().get(1).iotInstanceId());
  }

  @Test
  void jobs_inheritTopLevelFlags_andMayOverrideThem() {
    CancelCommand command = json("{\"CancelQueuedTask\":true,\"Jobs\":["
        + "{\"JobId\":\"a\"},"
        + "{\"JobId\":\"b\",\"CancelQueuedTask\":false,\"CancelScheduledTask\":true,"
        + "\"IotInstanceId\":\"x\"}]}");

    assertEquals(EnumSet.of(TaskState.QUEUED), command.requests().get(0).states());
    assertNull(command.requests().get(0).iotInstanceId());
    assertEquals(EnumSet.of(TaskState.SCHEDULED), command.requests().get(1).states());
    assertEquals("x", command.requests().get(1).iotInstanceId());
  }

  @Test
  void stringFlags_areTrimmedAndCaseInsensitive_andFalseTurnsAStateOff() {
    CancelCommand command = json("{\"CancelQueuedTask\":\" TRUE \",\"Jobs\":["
        + "{\"JobId\":\"a\",\"CancelQueuedTask\":\"False\",\"CancelNotifiedTask\":\"true\"}]}");

    assertEquals(EnumSet.of(TaskState.NOTIFIED), command.requests().get(0).states());
  }

  /** "Aa" and "BB" have the same hash code: only equals tells these two jobs apart. */
  @Test
  void jobsWhoseHashCodesCollide_areStillTwoJobs() {
    CancelCommand command = json("{\"JobIds\":[\"Aa\",\"BB\"],\"CancelQueuedTask\":true}");

    assertEquals(2, command.requests().size());
  }

  @Test
  void singleJobInBatchForm_isStillABatch() {
    assertTrue(json("{\"JobIds\":[\"a\"],\"CancelQueuedTask\":true}").isBatch());
  }

  @Test
  void formParameters_acceptRepeatedAndCommaSeparatedJobIds() {
    Map<String, List<String>> form = new LinkedHashMap<>();
    form.put("JobIds", List.of("a,b", "c"));
    form.put("CancelNotifiedTask", List.of("true"));

    CancelCommand command = RequestParser.parseParameters(form);

    assertEquals(3, command.requests().size());
    assertEquals(EnumSet.of(TaskState.NOTIFIED), command.requests().get(2).states());
  }

  @Test
  void hundredJobs_areAccepted_hundredAndOneAreNot() {
    assertEquals(100, json(jobIds(100)).requests().size());
    assertError("JobIds", "A batch may hold at most 100 jobs, got 101", jobIds(101));
  }

  @Test
  void duplicatesDoNotCountAgainstTheLimit() {
    StringBuilder ids = new StringBuilder("{\"CancelQueuedTask\":true,\"JobIds\":[");
    for (int i = 0; i < 150; i++) {
      ids.append(i == 0 ? "" : ",").append("\"job-").append(i % 50).append('"');
    }
    assertEquals(50, json(ids.append("]}").toString()).requests().size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "typo in a flag|CancelQueuedTasks|{\"JobId\":\"a\",\"CancelQueuedTasks\":true}|"
          + "Unknown field CancelQueuedTasks; expected JobId, JobIds, Jobs, IotInstanceId, " + ALL_FLAGS,
      "no job|JobId|{\"CancelQueuedTask\":true}|JobId is required (or JobIds / Jobs for a batch)",
      "two forms|JobId|{\"JobId\":\"a\",\"JobIds\":[\"b\"],\"CancelQueuedTask\":true}|Use only one of JobId, JobIds and Jobs",
      "no flag|<none>|{\"JobId\":\"a\"}|At least one of " + ALL_FLAGS + " must be true",
      "all flags false|<none>|{\"JobId\":\"a\",\"CancelQueuedTask\":false}|At least one of " + ALL_FLAGS + " must be true",
      "no flag for JobIds|<none>|{\"JobIds\":[\"a\"]}|At least one of " + ALL_FLAGS + " must be true",
      "blank JobId|JobId|{\"JobId\":\"  \",\"CancelQueuedTask\":true}|JobId is required and must not be blank",
      "numeric JobId|JobId|{\"JobId\":42,\"CancelQueuedTask\":true}|JobId must be a string",
      "control character|JobId|{\"JobId\":\"a\\nb\",\"CancelQueuedTask\":true}|JobId contains a control character",
      "injected parameter|JobId|{\"JobId\":\"x&Action=DeleteProduct\",\"CancelQueuedTask\":true}|JobId may contain only letters, digits, '-', '_' and '.'",
      "space in instance|IotInstanceId|{\"JobId\":\"a\",\"IotInstanceId\":\"iot 1\",\"CancelQueuedTask\":true}|IotInstanceId may contain only letters, digits, '-', '_' and '.'",
      "bad flag value|CancelQueuedTask|{\"JobId\":\"a\",\"CancelQueuedTask\":\"yes\"}|CancelQueuedTask must be true or false",
      "null flag|CancelQueuedTask|{\"JobId\":\"a\",\"CancelQueuedTask\":null}|CancelQueuedTask must be true or false",
      "blank instance|IotInstanceId|{\"JobId\":\"a\",\"IotInstanceId\":\"\",\"CancelQueuedTask\":true}|IotInstanceId is required and must not be blank",
      "JobIds not an array|JobIds|{\"JobIds\":\"a\",\"CancelQueuedTask\":true}|JobIds must be a JSON array",
      "empty JobIds|JobIds|{\"JobIds\":[],\"CancelQueuedTask\":true}|A batch needs at least one job",
      "empty Jobs|Jobs|{\"Jobs\":[],\"CancelQueuedTask\":true}|A batch needs at least one job",
      "bad element of JobIds|JobIds[1].JobId|{\"JobIds\":[\"a\",7],\"CancelQueuedTask\":true}|JobIds[1]: JobId must be a string",
      "job without id|Jobs[0].JobId|{\"Jobs\":[{\"CancelQueuedTask\":true}]}|Jobs[0]: JobId is required",
      "job not an object|Jobs[0]|{\"Jobs\":[\"a\"],\"CancelQueuedTask\":true}|Jobs[0]: must be a JSON object",
      "unknown field in a job|Jobs[1].Force|{\"Jobs\":[{\"JobId\":\"a\",\"CancelQueuedTask\":true},{\"JobId\":\"b\",\"Force\":true}]}|"
          + "Jobs[1]: Unknown field Force; expected JobId, IotInstanceId, " + ALL_FLAGS,
      "job without flags|Jobs[0]|{\"Jobs\":[{\"JobId\":\"a\"}]}|Jobs[0]: At least one of " + ALL_FLAGS + " must be true",
      "not an object|<none>|[1,2]|The request must be a JSON object",
      "empty body|<none>|'   '|The request is empty: expected a JSON object",
      "trailing data|<none>|{\"JobId\":\"a\"} {}|Malformed JSON: unexpected data after the value",
  })
  void invalidRequest_isRefusedWithAnExactMessage(String why, String field, String body,
      String message) {
    assertError("<none>".equals(field) ? null : field, message, body);
  }

  @Test
  void tooLongJobId_isRefused() {
    String id = "j".repeat(129);
    assertError("JobId", "JobId is longer than 128 characters",
        "{\"JobId\":\"" + id + "\",\"CancelQueuedTask\":true}");
    assertEquals(128, json("{\"JobId\":\"" + "j".repeat(128) + "\",\"CancelQueuedTask\":true}")
        .requests().get(0).jobId().length());
  }

  @Test
  void malformedJson_isRefusedWithJacksonsShortReason() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> json("{\"JobId\": \"a\""));
    assertTrue(e.getMessage().startsWith("Malformed JSON: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  /** Found by RequestParserPropertyTest: Jackson's UTF-32 reader threw past the parser. */
  @Test
  void jsonThatLooksLikeUtf32ButEndsMidCharacter_isRefusedAsMalformed() {
    byte[] body = {0, 0, 0, '{', '}'};

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> RequestParser.parseJson(body));
    assertTrue(e.getMessage().startsWith("Malformed JSON: Unexpected EOF in the middle of a "
        + "4-byte UTF-32 char"), e.getMessage());
  }

  @Test
  void aNumberPastJacksonsLimit_isRefusedWithoutNamingJacksonsSettings() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> json("{\"JobId\":\"a\",\"CancelQueuedTask\":" + "1".repeat(1001) + "}"));
    assertEquals("Malformed JSON: a number, string or field name is longer than accepted",
        e.getMessage());
  }

  @Test
  void duplicateKeys_areRefused() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> json("{\"JobId\":\"a\",\"JobId\":\"b\",\"CancelQueuedTask\":true}"));
    assertTrue(e.getMessage().contains("Duplicate field 'JobId'"), e.getMessage());
  }

  @Test
  void jsonNestedDeeperThan64Levels_isRefused_beforeJacksonsOwnLimit() {
    assertError(null, "The JSON is nested more than 64 levels deep",
        "{\"JobId\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
    assertError("JobId", "JobId must be a string",
        "{\"JobId\":" + "[".repeat(63) + "]".repeat(63) + ",\"CancelQueuedTask\":true}");
  }

  @Test
  void hugeUnknownName_isShownCutTo64Characters() {
    String name = "A".repeat(10_000);
    assertError(name, "Unknown field " + "A".repeat(64) + "…; expected JobId, JobIds, Jobs, "
        + "IotInstanceId, " + ALL_FLAGS, "{\"" + name + "\":1,\"JobId\":\"a\"}");
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> RequestParser.parseParameters(Map.of(name, List.of("1", "2"))));
    assertEquals("A".repeat(64) + "… must be given once", e.getMessage());
  }

  @Test
  void fiveUnknownFields_areAllNamed_moreEndInAnEllipsis() {
    String expected = "; expected JobId, JobIds, Jobs, IotInstanceId, " + ALL_FLAGS;
    assertError("a", "Unknown fields a, b, c, d, e" + expected,
        "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1}");
    assertError("a", "Unknown fields a, b, c, d, e, …" + expected,
        "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1}");
  }

  @Test
  void repeatedSingleParameter_isRefused() {
    Map<String, List<String>> form = Map.of("JobId", List.of("a", "b"),
        "CancelQueuedTask", List.of("true"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> RequestParser.parseParameters(form));
    assertEquals("JobId must be given once", e.getMessage());
  }

  private static String jobIds(int count) {
    StringBuilder ids = new StringBuilder("{\"CancelQueuedTask\":true,\"JobIds\":[");
    for (int i = 0; i < count; i++) {
      ids.append(i == 0 ? "" : ",").append("\"job-").append(i).append('"');
    }
    return ids.append("]}").toString();
  }

  private static void assertError(String field, String message, String body) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> json(body));
    assertEquals(message, e.getMessage());
    assertEquals(field, e.field());
    assertEquals("InvalidParameter", e.code());
  }

  private static CancelCommand json(String body) {
    return RequestParser.parseJson(body.getBytes(StandardCharsets.UTF_8));
  }
}
