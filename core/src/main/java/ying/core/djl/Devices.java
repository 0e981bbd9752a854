package ying.core.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a model runs on. Inside a Spark task that was given a GPU (conf/gpu.properties:
 * {@code spark.task.resource.gpu.amount}), that GPU: an executor with several GPUs runs several tasks,
 * and without this every one of them would use the engine's first GPU. Elsewhere (the driver,
 * embedded runs, a task without GPU resources) the engine's default: a CUDA build's first GPU, else
 * the CPU.
 */
public final class Devices {
  /** Spark's resource name for GPUs, as in {@code spark.executor.resource.gpu.amount}. */
  public static final String GPU = "gpu";

  private Devices() {}

  public static Device current() {
    TaskContext task = TaskContext.get();
    String[] assigned = task == null ? new String[0] : gpuAddresses(task.resourcesJMap());
    Engine engine = Engine.getInstance();
    return choose(assigned, engine.getGpuCount(), engine.defaultDevice());
  }

  static String[] gpuAddresses(Map<String, ResourceInformation> resources) {
    ResourceInformation gpu = resources.get(GPU);
    return gpu == null ? new String[0] : gpu.addresses();
  }

  /**
   * @param assigned the GPU addresses Spark gave the task (those its discovery script reported)
   * @param visibleGpus the GPUs the engine sees
   */
  static Device choose(String[] assigned, int visibleGpus, Device engineDefault) {
    if (assigned.length == 0) {
      return engineDefault;
    }
    String address = assigned[0];
    if (visibleGpus == 0) {
      throw new IllegalStateException("Spark gave this task GPU " + address + " (spark.task.resource.gpu.amount),"
          + " but the PyTorch engine here sees no GPU: build with `mvn -Pgpu package` (libtorch for CUDA 12.4) and"
          + " check the executors' NVIDIA driver, or run without conf/gpu.properties");
    }
    int index;
    try {
      index = Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("GPU address '" + address + "' from Spark's discovery script is not a CUDA"
          + " device index (conf/gpu-discovery.sh reports nvidia-smi's indices)", e);
    }
    if (index >= 0 && index < visibleGpus) {
      return Device.gpu(index);
    }
    // A container that exposes only its own GPU (CUDA_VISIBLE_DEVICES, YARN or Kubernetes isolation)
    // numbers it 0 whatever its physical index.
    if (visibleGpus == 1) {
      return Device.gpu(0);
    }
    throw new IllegalStateException("Spark gave this task GPU " + address + " but the PyTorch engine sees "
        + visibleGpus + " GPUs (0.." + (visibleGpus - 1) + "): the discovery script and CUDA_VISIBLE_DEVICES disagree");
  }
}
