package ying.core.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
  @TempDir Path dir;

  @Test
  void aTaskWithoutAGpuUsesTheEngineDefault() {
    assertEquals(Device.cpu(), Devices.choose(new String[0], 0, Device.cpu()));
    assertEquals(Device.gpu(0), Devices.choose(new String[0], 2, Device.gpu(0)));
  }

  @Test
  void aTaskGivenAGpuRunsOnThatGpu() {
    assertEquals(Device.gpu(1), Devices.choose(new String[] {"1"}, 2, Device.gpu(0)));
    // A container that shows only its own GPU numbers it 0, whatever the host calls it.
    assertEquals(Device.gpu(0), Devices.choose(new String[] {"3"}, 1, Device.gpu(0)));
  }

  @Test
  void aGpuTheEngineCannotUseIsAClearError() {
    IllegalStateException cpuBuild = assertThrows(IllegalStateException.class,
        () -> Devices.choose(new String[] {"0"}, 0, Device.cpu()));
    assertTrue(cpuBuild.getMessage().contains("-Pgpu"), cpuBuild.getMessage());
    IllegalStateException mismatch = assertThrows(IllegalStateException.class,
        () -> Devices.choose(new String[] {"5"}, 2, Device.gpu(0)));
    assertTrue(mismatch.getMessage().contains("GPU 5"), mismatch.getMessage());
    assertThrows(IllegalStateException.class, () -> Devices.choose(new String[] {"gpu-a"}, 2, Device.gpu(0)));
  }

  /** conf/gpu-discovery.sh prints what Spark's own parser reads, from nvidia-smi's indices (faked on the PATH). */
  @Test
  void theShippedDiscoveryScriptReportsNvidiaSmiIndicesAsSparkResourceJson() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path script = Path.of(System.getProperty("ying.home", ".."), "conf", "gpu-discovery.sh").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(script.toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.waitFor(), out);
    ResourceInformation gpus = ResourceInformation.parseJson(out);
    assertEquals(Devices.GPU, gpus.name());
    assertArrayEquals(new String[] {"0", "1"}, gpus.addresses());
    assertArrayEquals(new String[] {"0", "1"}, Devices.gpuAddresses(Map.of(Devices.GPU, gpus)));

    pb.environment().put("PATH", dir.resolve("empty") + ":/usr/bin:/bin");
    Process missing = pb.start();
    String err = new String(missing.getInputStream().readAllBytes());
    assertTrue(missing.waitFor() != 0, "no nvidia-smi: the script fails, and Spark with it");
    assertTrue(err.contains("NVIDIA driver"), err);
  }
}
