package io.otacancel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

  @Test
  void nothingOnTheInvocationPath_usesDatabind() {
    noClasses().that().resideInAnyPackage("io.otacancel.core..", "io.otacancel.aws..",
            "io.otacancel.fc..")
        .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind..")
        .check(production);
  }
}
