package io.engram.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Scala library on the classpath is the one Spark was built with: Maven's nearest-wins could
 * otherwise put an older 2.13.x there through a transitive dependency (the parent pom pins it).
 */
class SparkScalaVersionTest {

  @Test
  void scalaOnTheClasspathIsTheOneSparkWasBuiltWith() throws Exception {
    String pom = System.getProperty("engram.spark.parentPom");
    assertTrue(pom != null && Files.isRegularFile(Path.of(pom)), "Spark's parent pom: " + pom);
    Matcher m =
        Pattern.compile("<scala\\.version>([^<]+)</scala\\.version>")
            .matcher(Files.readString(Path.of(pom)));
    assertTrue(m.find(), "no scala.version in " + pom);
    assertEquals(m.group(1), scala.util.Properties.versionNumberString());
    // and Spark itself is the version the build names
    assertTrue(pom.contains(org.apache.spark.package$.MODULE$.SPARK_VERSION()), pom);
  }
}
