package ying.core.synth;

/**
 * Where the camera looks at one instant: a horizontal offset of the view (frame widths) and a zoom
 * about the frame centre. Maps normalised world coordinates to normalised screen coordinates.
 */
record CameraView(double offsetX, double zoom) {

  static CameraView of(CameraMove move, double t, double duration) {
    double u = SceneClock.progress(t, duration);
    // Geometric zoom looks like a constant speed; a linear one would seem to slow down.
    // StrictMath: the same bytes on every machine a Spark job lands on.
    return new CameraView(move.panX() * u, StrictMath.pow(move.endZoom(), u));
  }

  double screenX(double worldX) {
    return 0.5 + (worldX - 0.5 - offsetX) * zoom;
  }

  double screenY(double worldY) {
    return 0.5 + (worldY - 0.5) * zoom;
  }

  double worldX(double screenX) {
    return 0.5 + (screenX - 0.5) / zoom + offsetX;
  }

  double worldY(double screenY) {
    return 0.5 + (screenY - 0.5) / zoom;
  }
}
