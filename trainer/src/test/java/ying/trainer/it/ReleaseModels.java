package ying.trainer.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's release registry ({@code models/}) as the integration tests copy from it. */
public final class ReleaseModels {
  private ReleaseModels() {}

  /** The version {@code models/NAME/LATEST} points at, so the tests follow each new release. */
  public static String latest(Path repo, String name) throws IOException {
    return Files.readString(repo.resolve("models").resolve(name).resolve("LATEST")).trim();
  }
}
