package io.otacancel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.HttpURLConnection;
import java.util.Set;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packages show the architecture, and these rules keep it so. */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.otacancel");
  }

  @Test
  void core_knowsNothingOfAwsFcOrTheLocalTools() {
    noClasses().that().resideInAPackage("io.otacancel.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "com.amazonaws..", "com.aliyun..", "io.otacancel.aws..", "io.otacancel.fc..",
            "io.otacancel.local..", "org.crac..")
        .check(production);
  }

  @Test
  void awsAdapter_dependsOnCore_neverOnFc() {
    noClasses().that().resideInAPackage("io.otacancel.aws..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.otacancel.fc..", "io.otacancel.local..", "com.aliyun..")
        .check(production);
  }

  @Test
  void fcAdapter_dependsOnCore_neverOnAws() {
    noClasses().that().resideInAPackage("io.otacancel.fc..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.otacancel.aws..", "io.otacancel.local..", "com.amazonaws..")
        .check(production);
  }

  /**
   * TLS is verified by the JDK's defaults only: nothing replaces a trust manager, a hostname
   * verifier or the socket factory, for one connection or for all.
   */
  @Test
  void tlsVerification_isNeverReplaced() {
    noClasses()
        .should().callMethodWhere(calls(HttpsURLConnection.class, "setHostnameVerifier",
            "setSSLSocketFactory", "setDefaultHostnameVerifier", "setDefaultSSLSocketFactory"))
        .orShould().callMethodWhere(calls(SSLContext.class, "init", "setDefault"))
        .orShould().dependOnClassesThat().areAssignableTo(TrustManager.class)
        .orShould().dependOnClassesThat().areAssignableTo(HostnameVerifier.class)
        .check(production);
  }

  /**
   * Redirects are never turned on, for all connections or for one, except by the transport,
   * which turns them off ({@code TransportTrustTest} shows a redirect is not followed).
   */
  @Test
  void redirects_areNeverTurnedOn() {
    noClasses()
        .should().callMethodWhere(calls(HttpURLConnection.class, "setFollowRedirects"))
        .check(production);
    noClasses().that().doNotHaveFullyQualifiedName("io.otacancel.core.UrlConnectionTransport")
        .should().callMethodWhere(calls(HttpURLConnection.class, "setInstanceFollowRedirects"))
        .check(production);
  }

  /**
   * Nor through the JVM's properties ({@code javax.net.ssl.trustStore}, {@code jdk.tls.*},
   * {@code http.maxRedirects}, proxies): the invocation path sets none, it leaves them to the
   * platform. The local emulator may tune its own HttpServer.
   */
  @Test
  void invocationPath_neverSetsJvmOrSecurityProperties() {
    noClasses().that().resideInAnyPackage("io.otacancel.core..", "io.otacancel.aws..",
            "io.otacancel.fc..")
        .should().callMethodWhere(calls(System.class, "setProperty", "setProperties",
            "clearProperty"))
        .orShould().callMethodWhere(calls(java.security.Security.class, "setProperty",
            "addProvider", "insertProviderAt", "removeProvider"))
        .check(production);
  }

  @Test
  void nothingOnTheInvocationPath_usesDatabind() {
    noClasses().that().resideInAnyPackage("io.otacancel.core..", "io.otacancel.aws..",
            "io.otacancel.fc..")
        .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind..")
        .check(production);
  }

  /** A call to one of these methods on {@code owner} or a subclass of it. */
  private static DescribedPredicate<JavaMethodCall> calls(Class<?> owner, String... names) {
    Set<String> methods = Set.of(names);
    return DescribedPredicate.describe(owner.getSimpleName() + "." + methods,
        call -> call.getTargetOwner().isAssignableTo(owner) && methods.contains(call.getName()));
  }
}
