package io.engram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.analysis.HopfieldAnalyzer;
import io.engram.internal.Json;
import io.engram.io.ModelFile;
import io.engram.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on real files: images in, model out, noisy cues, recall, PNGs and figures back. */
class ImageToolTest {

  @TempDir static Path dir;
  static Path images;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The demo's four images at 48 x 48 in four formats (read back and resized to 32 x 32). */
  @BeforeAll
  static void writeImages() throws IOException {
    images = Files.createDirectory(dir.resolve("images"));
    String[] formats = {"png", "bmp", "gif", "png"};
    for (int k = 0; k < 4; k++) {
      float[] gray = Images.resize(DemoImages.draw(k), 256, 256, new Images.Size(48, 48));
      BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < gray.length; i++) {
        int g = Math.round(gray[i] * 255);
        img.setRGB(i % 48, i / 48, (g << 16) | (g << 8) | g);
      }
      assertTrue(
          ImageIO.write(
              img,
              formats[k],
              images.resolve(k + "-" + DemoImages.NAMES.get(k) + "." + formats[k]).toFile()));
    }
    // not an image: ignored by the folder reader
    Files.writeString(images.resolve("README.txt"), "four test images");
  }

  private static float[][] rows(Path npy) throws IOException {
    return Npy.read(npy).toFloatRows();
  }

  /**
   * Hidden files of an image folder are not its images: macOS's {@code ._NAME.png} beside a copied
   * image (its metadata, no PNG) failed the whole command ("not a readable PNG, JPEG, GIF or BMP
   * image"), and a hidden image was stored as one more pattern than ls shows.
   */
  @Test
  void hiddenFilesOfAnImageFolderAreLeftOut() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("copied-from-a-mac"));
    List<Path> four = Images.listAll(images);
    Files.copy(four.get(0), folder.resolve("a.png"));
    Files.write(
        folder.resolve("._a.png"),
        new byte[] {0, 5, 22, 7, 0, 2, 0, 0, 'M', 'a', 'c', ' ', 'O', 'S', ' ', 'X'});
    Files.copy(four.get(3), folder.resolve(".b.png"));
    Path model = dir.resolve("hidden.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train", "--patterns", folder.toString(), "--size", "32x32", "--out", model.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("1 pattern of length 1024"), r::toString);
    // a folder of hidden images alone says why none was read
    Path onlyHidden = Files.createDirectory(dir.resolve("only-hidden"));
    Files.copy(four.get(0), onlyHidden.resolve(".a.png"));
    ToolRun.Result none =
        ToolRun.run(
            "train", "--patterns", onlyHidden.toString(), "--out", dir.resolve("x.npz").toString());
    assertEquals(2, none.status(), none::toString);
    assertEquals(
        "engram: --patterns "
            + onlyHidden
            + ": no images in this folder (looked for .png .jpg .jpeg .gif .bmp; 1 hidden file"
            + " with an image's name, left out)",
        none.err().strip());
    // a hidden file given by its own name is read, as any file given
    ToolRun.Result named =
        ToolRun.run(
            "train",
            "--patterns",
            folder.resolve(".b.png").toString(),
            "--size",
            "32x32",
            "--out",
            dir.resolve("named.npz").toString());
    assertEquals(0, named.status(), named::toString);
  }

  /**
   * An output folder that holds images this command does not write is named in a warning: a second
   * corrupt of fewer patterns into the folder of a first left its extra cues there without a word,
   * and a recall of the folder then recalled them with the new ones.
   */
  @Test
  void imagesLeftInAnOutputFolderAreNamed() throws Exception {
    Path cues = dir.resolve("cues");
    java.util.function.Supplier<ToolRun.Result> all =
        () ->
            ToolRun.run(
                "corrupt",
                "-q",
                "--patterns",
                images.toString(),
                "--size",
                "32x32",
                "--out",
                cues + "/");
    ToolRun.Result first = all.get();
    assertEquals(0, first.status(), first::toString);
    assertEquals("", first.err());
    Path two = Files.createDirectory(dir.resolve("two-images"));
    List<Path> four = Images.listAll(images);
    Files.copy(four.get(0), two.resolve(four.get(0).getFileName()));
    Files.copy(four.get(3), two.resolve(four.get(3).getFileName()));
    ToolRun.Result again =
        ToolRun.run(
            "corrupt", "-q", "--patterns", two.toString(), "--size", "32x32", "--out", cues + "/");
    assertEquals(0, again.status(), again::toString);
    assertEquals(
        "engram: warning: --out "
            + cues
            + "/ also holds 2 images this command does not write (1-"
            + DemoImages.NAMES.get(1)
            + ".png, 2-"
            + DemoImages.NAMES.get(2)
            + ".png); a command that reads the folder reads them beside the new ones",
        again.err().strip());
    // the same patterns again: every image there is one it writes, and nothing is said
    ToolRun.Result same = all.get();
    assertEquals(0, same.status(), same::toString);
    assertEquals("", same.err());
  }

  @Test
  void imagesTrainCorruptRecallAndFigures() throws Exception {
    Path model = dir.resolve("model.npz");
    ToolRun.Result r =
        ToolRun.run(
            "train", "--patterns", images.toString(), "--size", "32x32", "--out", model.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("4 patterns of length 1024"), r::toString);

    // the stored patterns are the images as CANNs prepares them; export them to compare
    Path stored = dir.resolve("stored.npy");
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                images.toString(),
                "--size",
                "32x32",
                "--flip",
                "0",
                "--out",
                stored.toString())
            .status());
    float[][] p = rows(stored);
    assertEquals(4, p.length);
    for (float[] row : p) {
      for (float v : row) {
        assertTrue(v == 1f || v == -1f);
      }
    }

    // noisy cues, reproducibly, as .npy and as PNGs that read back to the same values
    Path noisy = dir.resolve("noisy.npy");
    Path noisy2 = dir.resolve("noisy2.npy");
    Path noisyDir = dir.resolve("noisy");
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                stored.toString(),
                "--flip",
                "0.3",
                "--seed",
                "42",
                "--out",
                noisy.toString())
            .status());
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                stored.toString(),
                "--flip",
                "0.3",
                "--seed",
                "42",
                "--out",
                noisy2.toString())
            .status());
    assertArrayEquals(Files.readAllBytes(noisy), Files.readAllBytes(noisy2));
    float[][] cues = rows(noisy);
    for (int k = 0; k < 4; k++) {
      assertEquals(0.4, HopfieldAnalyzer.overlap(cues[k], p[k]), 1e-3); // 307 of 1024 flipped
    }
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "--patterns",
                stored.toString(),
                "--flip",
                "0.3",
                "--seed",
                "42",
                "--out",
                noisyDir + "/")
            .status());
    assertEquals(4, Files.list(noisyDir).count());
    float[] fromPng =
        Images.thresholdAtMean(Images.read(noisyDir.resolve("noisy-002.png")).values());
    assertArrayEquals(cues[2], fromPng, 0f);

    // recall from the PNG cues, with every output at once
    Path out = dir.resolve("recalled.npy");
    Path grid = dir.resolve("grid.png");
    Path energy = dir.resolve("energy.png");
    Path report = dir.resolve("report.json");
    r =
        ToolRun.run(
            "recall",
            "--model",
            model.toString(),
            "--queries",
            noisyDir.toString(),
            "--out",
            out.toString(),
            "--grid",
            grid.toString(),
            "--stored",
            stored.toString(),
            "--energy-plot",
            energy.toString(),
            "--report",
            report.toString());
    assertEquals(0, r.status(), r::toString);
    float[][] rec = rows(out);
    for (int k = 0; k < 4; k++) {
      assertEquals(1.0, HopfieldAnalyzer.overlap(rec[k], p[k]), 0.0, "image " + k + " came back");
    }
    @SuppressWarnings("unchecked")
    List<Object> q =
        (List<Object>) ((Map<String, Object>) Json.parse(Files.readString(report))).get("queries");
    assertEquals(4, q.size());

    // the grid's pixels are the arrays: stored, cue, recalled per row
    BufferedImage g = ImageIO.read(grid.toFile());
    // the cells are as wide as their longest label needs: the figure's width says how wide
    int cell = (g.getWidth() - Figures.GridLayout.PAD) / 3 - Figures.GridLayout.PAD;
    Figures.GridLayout layout = Figures.GridLayout.of(3, 4, new Images.Size(32, 32), cell);
    assertEquals(cell, layout.cellWidth());
    assertEquals(layout.width(), g.getWidth());
    assertEquals(layout.height(), g.getHeight());
    float[][][] columns = {p, cues, rec};
    for (int row = 0; row < 4; row++) {
      for (int c = 0; c < 3; c++) {
        int x0 = layout.x(c) + (layout.cellWidth() - 32 * layout.scale()) / 2;
        int y0 = layout.y(row);
        for (int i = 0; i < 1024; i++) {
          int px = x0 + (i % 32) * layout.scale() + layout.scale() / 2;
          int py = y0 + (i / 32) * layout.scale() + layout.scale() / 2;
          int expected = Images.gray(columns[c][row][i]);
          assertEquals(
              expected, g.getRGB(px, py) & 0xFF, "row " + row + " column " + c + " pixel " + i);
        }
      }
    }
    BufferedImage e = ImageIO.read(energy.toFile());
    assertEquals(800, e.getWidth());
    assertEquals(500, e.getHeight());
    assertTrue(colours(e) > 3, "the energy plot has lines in colour");

    // recalled states as images
    Path recDir = dir.resolve("rec");
    assertEquals(
        0,
        ToolRun.run(
                "recall",
                "--model",
                model.toString(),
                "--queries",
                noisy.toString(),
                "--out",
                recDir + "/",
                "-q")
            .status());
    float[] back = Images.thresholdAtMean(Images.read(recDir.resolve("recalled-001.png")).values());
    assertArrayEquals(p[1], back, 0f);

    // the heat map
    Path heat = dir.resolve("W.png");
    r =
        ToolRun.run(
            "inspect",
            model.toString(),
            "--heatmap",
            heat.toString(),
            "--patterns",
            stored.toString());
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains("4 of 4 patterns are fixed points"), r::toString);
    BufferedImage h = ImageIO.read(heat.toFile());
    assertEquals(720, h.getWidth());
    assertTrue(colours(h) > 20, "the heat map shows a colour scale");
  }

  private static int colours(BufferedImage img) {
    java.util.Set<Integer> s = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        s.add(img.getRGB(x, y));
      }
    }
    return s.size();
  }

  /**
   * An entry of an image folder with an image's name that is no image file (a folder, a link to
   * nothing) is an error naming it; it was skipped without a word.
   */
  @Test
  void anEntryWithAnImagesNameThatIsNoFileIsNamed() throws Exception {
    Path odd = Files.createDirectory(dir.resolve("odd"));
    for (Path f : Images.listAll(images)) {
      Files.copy(f, odd.resolve(f.getFileName()));
    }
    Path out = dir.resolve("odd.npz");
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--patterns", odd.toString(), "--out", out.toString()).status());
    Files.delete(out);
    Path folder = Files.createDirectory(odd.resolve("9-folder.png"));
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", odd.toString(), "--out", out.toString());
    assertEquals(2, r.status(), r.toString());
    assertEquals(
        "engram: --patterns "
            + folder
            + ": has an image's name but is a folder; an image folder holds image"
            + " files",
        r.err().strip());
    Files.delete(folder);
    Path link = Files.createSymbolicLink(odd.resolve("9-link.png"), odd.resolve("nowhere"));
    r = ToolRun.run("train", "-q", "--patterns", odd.toString(), "--out", out.toString());
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().contains("is a symbolic link to nothing, or a loop of links"), r.toString());
    assertFalse(Files.exists(out));
    Files.delete(link);
  }

  /**
   * A gray image is read by its own gray levels: the same picture saved as 8-bit gray, 16-bit gray,
   * gray with alpha, palette or RGB gives the same pattern (gray levels 0, 50, 60, 255: mean 91.25,
   * so only the white pixel is above it). The gray ones were converted from linear gray to sRGB
   * first, which made 50 and 60 about 124 and 134 and moved the threshold.
   */
  @Test
  void aGrayImageGivesThePatternOfTheSamePictureInRgb() throws Exception {
    Path gray = Files.createDirectory(dir.resolve("gray"));
    int[] levels = {0, 50, 60, 255};
    int[] types = {
      BufferedImage.TYPE_BYTE_GRAY,
      BufferedImage.TYPE_USHORT_GRAY,
      BufferedImage.TYPE_INT_ARGB,
      BufferedImage.TYPE_INT_RGB
    };
    for (int t = 0; t < types.length; t++) {
      BufferedImage img = new BufferedImage(4, 1, types[t]);
      for (int x = 0; x < 4; x++) {
        int v = levels[x];
        if (types[t] == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, 0, 0, v);
        } else if (types[t] == BufferedImage.TYPE_USHORT_GRAY) {
          img.getRaster().setSample(x, 0, 0, v * 257);
        } else {
          img.setRGB(x, 0, 0xFF000000 | (v << 16) | (v << 8) | v);
        }
      }
      assertTrue(ImageIO.write(img, "png", gray.resolve(t + ".png").toFile()));
    }
    Path out = dir.resolve("gray.npy");
    ToolRun.Result r =
        ToolRun.run(
            "corrupt", "-q", "--patterns", gray.toString(), "--flip", "0", "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    float[][] rows = rows(out);
    for (int t = 0; t < types.length; t++) {
      assertArrayEquals(new float[] {-1, -1, -1, 1}, rows[t], "image type " + types[t]);
    }
  }

  /**
   * A transparent pixel is white, as a web page or skimage's {@code rgba2rgb} shows it, whatever
   * colour it stores: a black letter on a transparent background gives the pattern of the same
   * letter on white, in RGBA, gray with alpha, a palette with a transparent entry (PNG and GIF).
   * The stored colour alone (transparent black, as many tools save it) made each of them one black
   * image: every value -1, the letter lost, exit 0. A pixel half transparent is the gray between.
   */
  @Test
  void aTransparentBackgroundIsWhite() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("transparent"));
    int w = 6;
    int h = 5;
    java.util.function.BiPredicate<Integer, Integer> letter = (x, y) -> x == 1 || y == 2;
    BufferedImage opaque = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage rgba = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    java.awt.image.ColorModel grayAlpha =
        new java.awt.image.ComponentColorModel(
            java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY),
            true,
            false,
            java.awt.Transparency.TRANSLUCENT,
            java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster ga = grayAlpha.createCompatibleWritableRaster(w, h);
    // index 0: transparent black, index 1: opaque black
    java.awt.image.IndexColorModel palette =
        new java.awt.image.IndexColorModel(1, 2, new byte[2], new byte[2], new byte[2], 0);
    BufferedImage indexed = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, palette);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean on = letter.test(x, y);
        opaque.getRaster().setSample(x, y, 0, on ? 0 : 255);
        rgba.setRGB(x, y, on ? 0xFF000000 : 0x00000000);
        ga.setSample(x, y, 0, 0);
        ga.setSample(x, y, 1, on ? 255 : 0);
        indexed.getRaster().setSample(x, y, 0, on ? 1 : 0);
      }
    }
    assertTrue(ImageIO.write(opaque, "png", folder.resolve("0-opaque.png").toFile()));
    assertTrue(ImageIO.write(rgba, "png", folder.resolve("1-rgba.png").toFile()));
    assertTrue(
        ImageIO.write(
            new BufferedImage(grayAlpha, ga, false, null),
            "png",
            folder.resolve("2-gray-alpha.png").toFile()));
    assertTrue(ImageIO.write(indexed, "png", folder.resolve("3-palette.png").toFile()));
    assertTrue(ImageIO.write(indexed, "gif", folder.resolve("4-palette.gif").toFile()));
    Path out = dir.resolve("transparent.npy");
    ToolRun.Result r =
        ToolRun.run(
            "corrupt",
            "-q",
            "--patterns",
            folder.toString(),
            "--flip",
            "0",
            "--out",
            out.toString());
    assertEquals(0, r.status(), r::toString);
    float[][] rows = rows(out);
    assertEquals(5, rows.length);
    float[] expected = new float[w * h];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = letter.test(i % w, i / w) ? -1 : 1;
    }
    for (int k = 0; k < rows.length; k++) {
      assertArrayEquals(expected, rows[k], "image " + k);
    }
    // black at alpha 128 over white: 127/255 of white (RGB and gray with alpha alike)
    assertEquals(127 / 255.0, Images.overWhite(0, 128 / 255.0), 1e-12);
    assertEquals(0.3, Images.overWhite(0.3, 1), 0);
    assertEquals(1, Images.overWhite(0.3, 0), 0);
  }

  /**
   * A small file can declare a huge image: its size is checked from its header, before it is
   * decoded. A 6000 x 6000 gray PNG (a few kilobytes) as the first image without --size is refused
   * as too many neurons in a heap of 48 MiB; it was decoded first (36 MB of pixels and 144 MB of
   * floats: out of memory there; a 1 MB PNG of 12000 x 12000 RGBA took 20 s before the same error).
   */
  @Test
  void aHugeImageIsRefusedFromItsHeaderBeforeItIsDecoded() throws Exception {
    int side = 6000;
    java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
    try (var z =
        new java.util.zip.DeflaterOutputStream(
            idat, new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED))) {
      byte[] row = new byte[side + 1]; // filter byte 0, then black pixels
      for (int y = 0; y < side; y++) {
        z.write(row);
      }
    }
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
    ihdr.putInt(side).putInt(side).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0);
    ihdr.put((byte) 0);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    Path huge = dir.resolve("huge.png");
    Files.write(huge, png.toByteArray());
    Path out = dir.resolve("huge.npz");
    ToolRun.Result r =
        ToolRun.fresh(
            dir,
            List.of(),
            List.of("-Xmx48m"),
            "train",
            "-q",
            "--patterns",
            huge.toString(),
            "--out",
            out.toString());
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --patterns "
            + huge
            + ": 6000x6000 pixels is too many neurons; give a smaller --size",
        r.err().strip());
    assertFalse(Files.exists(out));
  }

  private static void chunk(java.io.ByteArrayOutputStream png, String type, byte[] data)
      throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    png.write(b.array());
  }

  /**
   * An animated GIF is read by its first frame, and a warning line says so (the other frames were
   * dropped without a word).
   */
  @Test
  void anAnimatedGifIsNamedInAWarning() throws Exception {
    Path gif = dir.resolve("anim.gif");
    javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    try (var os = ImageIO.createImageOutputStream(gif.toFile())) {
      w.setOutput(os);
      w.prepareWriteSequence(null);
      for (int k = 0; k < 3; k++) {
        BufferedImage frame = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
        frame.setRGB(k, k, 0xFFFFFFFF);
        w.writeToSequence(new javax.imageio.IIOImage(frame, null, null), null);
      }
      w.endWriteSequence();
    } finally {
      w.dispose();
    }
    Path out = dir.resolve("anim.npz");
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", gif.toString(), "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals(
        "engram: warning: " + gif + " has 3 frames (an animated GIF); only the first was read",
        r.err().strip());
    assertEquals(64, ModelFile.read(out).numNeurons());
    // a GIF of one frame: no warning
    Path one = dir.resolve("one.gif");
    BufferedImage single = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    single.setRGB(2, 2, 0xFFFFFFFF); // (an image of one value is centred to zeros: a warning)
    assertTrue(ImageIO.write(single, "gif", one.toFile()));
    r = ToolRun.run("train", "-q", "--patterns", one.toString(), "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  /**
   * Cue images of the model's own shape are read at that shape, also when N is a square: 16 x 4
   * images (N = 64) were squeezed into 8 x 8, so that the stored images themselves came back as
   * noise (0 of 3) and inspect found none of them a fixed point.
   */
  @Test
  void cueImagesOfANonSquareShapeKeepIt() throws Exception {
    Path wide = Files.createDirectory(dir.resolve("wide"));
    java.util.Random rnd = new java.util.Random(5);
    for (int k = 0; k < 3; k++) {
      BufferedImage img = new BufferedImage(16, 4, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < 64; i++) {
        img.setRGB(i % 16, i / 16, rnd.nextBoolean() ? 0xFFFFFF : 0);
      }
      assertTrue(ImageIO.write(img, "png", wide.resolve("w" + k + ".png").toFile()));
    }
    Path model = dir.resolve("wide.npz");
    Path clean = dir.resolve("wide-clean.npy");
    Path out = dir.resolve("wide-out.npy");
    String w = wide.toString();
    assertEquals(
        0,
        ToolRun.run("train", "-q", "--rule", "pseudo-inverse", "--patterns", w, "--out", "" + model)
            .status());
    assertEquals(
        0,
        ToolRun.run("corrupt", "-q", "--patterns", w, "--flip", "0", "--out", clean.toString())
            .status());
    ToolRun.Result r =
        ToolRun.run("recall", "-q", "--model", "" + model, "--queries", w, "--out", out.toString());
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), r::toString);
    float[][] stored = rows(clean);
    float[][] recalled = rows(out);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(stored[k], recalled[k], "stored image " + k + " recalled as itself");
    }
    r = ToolRun.run("inspect", "" + model, "--patterns", w);
    assertTrue(r.out().contains("3 of 3 patterns are fixed points"), r::toString);
    Path pngs = dir.resolve("wide-out");
    r = ToolRun.run("recall", "-q", "--model", "" + model, "--queries", w, "--out", pngs + "/");
    assertEquals(0, r.status(), r::toString);
    BufferedImage back = ImageIO.read(pngs.resolve("w0.png").toFile());
    assertEquals(16, back.getWidth());
    assertEquals(4, back.getHeight());
  }

  /**
   * A cue image of another pixel count than N is resized to N's square, as before, but with a
   * warning line (it was resized without a word): a 32x8 photo of a model of 64 neurons.
   */
  @Test
  void aCueImageResizedToTheModelIsNamedInAWarning() throws Exception {
    Path wide = Files.createDirectories(dir.resolve("cue-size"));
    java.util.Random rnd = new java.util.Random(6);
    for (int k = 0; k < 2; k++) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < 64; i++) {
        img.setRGB(i % 8, i / 8, rnd.nextBoolean() ? 0xFFFFFF : 0);
      }
      assertTrue(ImageIO.write(img, "png", wide.resolve("s" + k + ".png").toFile()));
    }
    BufferedImage big = new BufferedImage(32, 8, BufferedImage.TYPE_INT_RGB);
    Path cue = dir.resolve("big-cue.png");
    assertTrue(ImageIO.write(big, "png", cue.toFile()));
    Path model = dir.resolve("cue-size.npz");
    assertEquals(
        0, ToolRun.run("train", "-q", "--patterns", wide.toString(), "--out", "" + model).status());
    Path out = dir.resolve("cue-size-out.npy");
    ToolRun.Result r =
        ToolRun.run(
            "recall", "-q", "--model", "" + model, "--queries", "" + cue, "--out", "" + out);
    assertEquals(0, r.status(), r::toString);
    assertEquals(
        "engram: warning: "
            + cue
            + " is 32x8, not 8x8 (the model's N = 64); resized to 8x8, distorting its shape"
            + " (--size WxH gives another shape of N pixels)",
        r.err().strip());
    // the model's own size: nothing to say
    r =
        ToolRun.run(
            "recall",
            "-q",
            "--model",
            "" + model,
            "--queries",
            "" + wide.resolve("s0.png"),
            "--out",
            "" + out);
    assertEquals("", r.err(), r::toString);
  }

  /**
   * {@code inspect --patterns} reads images as recall reads cues, and its warning of an image of
   * another pixel count names {@code --size}: inspect has it too (it had none, so the warning's
   * advice and docs/CLI.md's step-by-step example, 128x128 images for a model of 64x64, could not
   * be followed).
   */
  @Test
  void inspectTakesTheSizeItsWarningNames() throws Exception {
    Path imgs = Files.createDirectories(dir.resolve("inspect-size"));
    java.util.Random rnd = new java.util.Random(8);
    for (int k = 0; k < 2; k++) {
      BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < 32 * 32; i++) {
        img.setRGB(i % 32, i / 32, rnd.nextBoolean() ? 0xFFFFFF : 0);
      }
      assertTrue(ImageIO.write(img, "png", imgs.resolve("s" + k + ".png").toFile()));
    }
    Path model = dir.resolve("inspect-size.npz");
    ToolRun.Result r =
        ToolRun.run("train", "-q", "--patterns", "" + imgs, "--size", "16x4", "--out", "" + model);
    assertEquals(0, r.status(), r::toString);
    // without --size: the square of N, with the warning that names --size
    r = ToolRun.run("inspect", "" + model, "--patterns", "" + imgs);
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().contains("resized to 8x8"), r::toString);
    assertTrue(r.err().contains("(--size WxH gives another shape of N pixels)"), r::toString);
    // with the training's shape: what was stored, quietly
    r = ToolRun.run("inspect", "" + model, "--patterns", "" + imgs, "--size", "16x4");
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err(), r::toString);
    assertTrue(r.out().contains("2 of 2 patterns are fixed points"), r::toString);
    // a size of another N, or with nothing to resize: exit 2, one line
    r = ToolRun.run("inspect", "" + model, "--patterns", "" + imgs, "--size", "3x3");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --size 3x3 has 9 pixels, but the model has N = 64 neurons", r.err().strip());
    r = ToolRun.run("inspect", "" + model, "--size", "16x4");
    assertEquals(2, r.status(), r::toString);
    assertEquals(
        "engram: --size resizes the --patterns images; give --patterns too", r.err().strip());
    Path npy = dir.resolve("inspect-size.npy");
    assertEquals(
        0,
        ToolRun.run(
                "corrupt",
                "-q",
                "--patterns",
                "" + imgs,
                "--size",
                "16x4",
                "--flip",
                "0",
                "--out",
                "" + npy)
            .status());
    r = ToolRun.run("inspect", "" + model, "--patterns", "" + npy, "--size", "16x4");
    assertEquals(2, r.status(), r::toString);
    assertTrue(
        r.err().contains("--size 16x4 resizes images, but --patterns holds arrays"), r::toString);
  }

  @Test
  void aSavedModelLoadsInAFreshProcess() throws Exception {
    Path model = dir.resolve("fresh.npz");
    assertEquals(
        0,
        ToolRun.run(
                "train",
                "--patterns",
                images.toString(),
                "--size",
                "16x16",
                "--out",
                model.toString())
            .status());
    ToolRun.Result r = ToolRun.fresh(dir, "inspect", model.toString(), "--json");
    assertEquals(0, r.status(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
    assertEquals(256L, m.get("num_neurons"));
    assertEquals(4L, m.get("stored_patterns"));
    assertEquals("", r.err());
    assertArrayEquals(ModelFile.read(model).weightMatrix(), ModelFile.read(model).weightMatrix());
  }

  @Test
  void demoWritesItsFigureInTheWorkingFolder() throws Exception {
    Path work = Files.createDirectory(dir.resolve("demo"));
    ToolRun.Result r = ToolRun.fresh(work, "demo", "--size", "32x32", "--images", "imgs/");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().startsWith("Engram demo: 4 of 4 images came back exactly"), r::toString);
    assertTrue(r.out().strip().endsWith("; 4 images written to imgs/"), r::toString);
    assertEquals(1, r.out().lines().count());
    BufferedImage fig = ImageIO.read(work.resolve("engram-demo.png").toFile());
    Figures.GridLayout layout = Figures.GridLayout.of(3, 4, new Images.Size(32, 32), 0);
    assertEquals(layout.height(), fig.getHeight());
    assertEquals(4, Files.list(work.resolve("imgs")).count());
  }

  @Test
  void completionScriptCoversEveryCommand() {
    ToolRun.Result r = ToolRun.run("completion");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r::toString);
    for (String c :
        List.of(
            "train",
            "recall",
            "export",
            "inspect",
            "demo",
            "capacity",
            "corrupt",
            "--grid",
            "--flip",
            "--top-k",
            "--correlation")) {
      assertTrue(r.out().contains(c), c);
    }
  }
}
