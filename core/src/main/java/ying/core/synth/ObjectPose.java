package ying.core.synth;

/** An object's centre (normalised world coordinates), scale and angle at one instant. */
record ObjectPose(double x, double y, double scale, double angle) {

  static ObjectPose of(SceneObject o, double t, double duration) {
    double u = SceneClock.progress(t, duration);
    Motion m = o.motion();
    double scale = m.startScale() * StrictMath.pow(m.endScale() / m.startScale(), u);
    return new ObjectPose(o.startX() + m.travelX() * u, o.startY() + m.travelY() * u, scale,
        o.startAngle() + m.radiansPerSecond() * t);
  }

  /** Body radius in frame heights, before any camera zoom. */
  double radius(ObjectSize size) {
    return size.radius() * scale;
  }
}
