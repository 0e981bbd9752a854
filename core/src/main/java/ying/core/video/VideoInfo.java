package ying.core.video;

/**
 * What a probe learns about a video without decoding it. Width and height are as displayed, i.e.
 * after the rotation from the container's display matrix.
 *
 * @param frameCount frames in the stream: the container's count when it has one, else
 *     duration x fps rounded
 * @param rotation clockwise display rotation in degrees: 0, 90, 180 or 270
 */
public record VideoInfo(
    String uri,
    String container,
    String codec,
    int width,
    int height,
    double fps,
    double durationSeconds,
    long frameCount,
    int rotation,
    boolean hasAudio) {}
