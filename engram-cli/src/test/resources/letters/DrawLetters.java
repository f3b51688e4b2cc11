import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the 26 capital letters A-Z as pen strokes (no font: each letter is a few polylines on a 4 x
 * 6 grid), light on dark, anti-aliased, 32 x 32 gray PNGs. Run once from this folder:
 * {@code java DrawLetters.java .} (Java 17+); the PNGs are committed, so tests never depend on
 * fonts or on Java2D's rasterisation of the day.
 */
public class DrawLetters {

  // strokes per letter: x0 y0 x1 y1 ... (one polyline per string), grid x 0..4, y 0..6 (down)
  static final String[][] STROKES = {
    {"0 6 2 0 4 6", "1 3.6 3 3.6"}, // A
    {"0 0 0 6", "0 0 3 0 4 1 4 2 3 3 0 3", "3 3 4 4 4 5 3 6 0 6"}, // B
    {"4 1 3 0 1 0 0 1 0 5 1 6 3 6 4 5"}, // C
    {"0 0 0 6 3 6 4 5 4 1 3 0 0 0"}, // D
    {"4 0 0 0 0 6 4 6", "0 3 3 3"}, // E
    {"4 0 0 0 0 6", "0 3 3 3"}, // F
    {"4 1 3 0 1 0 0 1 0 5 1 6 3 6 4 5 4 3 2 3"}, // G
    {"0 0 0 6", "4 0 4 6", "0 3 4 3"}, // H
    {"1 0 3 0", "2 0 2 6", "1 6 3 6"}, // I
    {"1 0 4 0", "3 0 3 5 2 6 1 6 0 5"}, // J
    {"0 0 0 6", "4 0 0 3.5", "1.4 2.6 4 6"}, // K
    {"0 0 0 6 4 6"}, // L
    {"0 6 0 0 2 3 4 0 4 6"}, // M
    {"0 6 0 0 4 6 4 0"}, // N
    {"1 0 3 0 4 1 4 5 3 6 1 6 0 5 0 1 1 0"}, // O
    {"0 6 0 0 3 0 4 1 4 2 3 3 0 3"}, // P
    {"1 0 3 0 4 1 4 5 3 6 1 6 0 5 0 1 1 0", "2.4 4.4 4 6"}, // Q
    {"0 6 0 0 3 0 4 1 4 2 3 3 0 3", "2 3 4 6"}, // R
    {"4 1 3 0 1 0 0 1 0 2 1 3 3 3 4 4 4 5 3 6 1 6 0 5"}, // S
    {"0 0 4 0", "2 0 2 6"}, // T
    {"0 0 0 5 1 6 3 6 4 5 4 0"}, // U
    {"0 0 2 6 4 0"}, // V
    {"0 0 1 6 2 3 3 6 4 0"}, // W
    {"0 0 4 6", "4 0 0 6"}, // X
    {"0 0 2 3 4 0", "2 3 2 6"}, // Y
    {"0 0 4 0 0 6 4 6"}, // Z
  };

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    File dir = new File(args.length > 0 ? args[0] : ".");
    int size = 32;
    double scale = 4.6; // grid unit in pixels: the letter is 18.4 x 27.6 pixels
    double ox = (size - 4 * scale) / 2;
    double oy = (size - 6 * scale) / 2;
    for (int k = 0; k < STROKES.length; k++) {
      BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(new Color(20, 20, 20));
      g.fillRect(0, 0, size, size);
      g.setColor(new Color(235, 235, 235));
      g.setStroke(new BasicStroke(3.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      for (String s : STROKES[k]) {
        String[] v = s.trim().split("\\s+");
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < v.length; i += 2) {
          double x = ox + Double.parseDouble(v[i]) * scale;
          double y = oy + Double.parseDouble(v[i + 1]) * scale;
          if (i == 0) {
            p.moveTo(x, y);
          } else {
            p.lineTo(x, y);
          }
        }
        g.draw(p);
      }
      g.dispose();
      ImageIO.write(img, "png", new File(dir, (char) ('A' + k) + ".png"));
    }
  }
}
