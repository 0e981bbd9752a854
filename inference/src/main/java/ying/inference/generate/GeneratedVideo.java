package ying.inference.generate;

import java.io.IOException;
import java.io.OutputStream;
import ying.core.io.Storage;
import ying.core.video.ContactSheet;
import ying.core.video.VideoException;
import ying.core.video.VideoWriter;

/** A generated clip on storage: the H.264 MP4 and, beside it, a contact-sheet PNG of the same name. */
public final class GeneratedVideo {
  private GeneratedVideo() {}

  /** The contact sheet's URI for an MP4's. */
  public static String sheetOf(String mp4) {
    return mp4.replaceAll("(?i)\\.mp4$", "") + ".png";
  }

  /**
   * Writes {@code frames} RGB frames of {@code width x height} from {@code video} as {@code out}
   * and its contact sheet; {@code music} (a URI or null) is muxed in, cut to the video's length.
   */
  public static void write(Storage storage, String out, byte[] video, int frames, int width, int height, double fps,
      String music) throws IOException, VideoException {
    try (VideoWriter w = music == null ? VideoWriter.create(storage, out, width, height, fps)
        : VideoWriter.createWithAudio(storage, out, width, height, fps, Storage.normalise(music))) {
      for (int f = 0; f < frames; f++) {
        w.write(video, f * width * height * 3);
      }
      w.finish();
    }
    try (OutputStream os = storage.create(sheetOf(out))) {
      os.write(ContactSheet.png(video, frames, height, width, 8, 4));
    }
  }
}
