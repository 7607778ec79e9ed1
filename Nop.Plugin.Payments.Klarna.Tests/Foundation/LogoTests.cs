using System.Buffers.Binary;
using System.IO.Compression;
using NUnit.Framework;

namespace Nop.Plugin.Payments.Klarna.Tests.Foundation;

/// <summary>
/// logo.png is shown in nopCommerce's plugin list: a real image, not a blank or broken file
/// </summary>
[TestFixture]
public class LogoTests
{
    private static readonly byte[] _pngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    [Test]
    public void Logo_is_a_png_larger_than_16_by_16()
    {
        var image = DecodedPng.Read(RepositoryPaths.Combine("logo.png"));

        Assert.Multiple(() =>
        {
            Assert.That(image.Width, Is.GreaterThan(16));
            Assert.That(image.Height, Is.GreaterThan(16));
        });
    }

    [Test]
    public void Logo_is_not_a_single_colour()
    {
        var image = DecodedPng.Read(RepositoryPaths.Combine("logo.png"));

        var colours = image.Pixels.Distinct().Count();

        Assert.That(colours, Is.GreaterThan(1), "a logo of one colour is a blank image");
    }

    [Test]
    public void Logo_file_starts_with_the_png_signature()
    {
        var bytes = File.ReadAllBytes(RepositoryPaths.Combine("logo.png"));

        Assert.That(bytes.Take(8), Is.EqualTo(_pngSignature));
    }

    /// <summary>
    /// A minimal PNG decoder (8-bit, non-interlaced; grey, RGB, palette, grey+alpha, RGBA): enough to look at the pixels
    /// </summary>
    private sealed class DecodedPng
    {
        public int Width { get; private init; }

        public int Height { get; private init; }

        /// <summary>RGBA of each pixel</summary>
        public uint[] Pixels { get; private init; }

        public static DecodedPng Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            if (!bytes.AsSpan(0, 8).SequenceEqual(_pngSignature))
                throw new InvalidDataException("not a PNG file");

            int width = 0, height = 0, bitDepth = 0, colourType = 0, interlace = 0;
            byte[] palette = Array.Empty<byte>();
            using var idat = new MemoryStream();
            for (var offset = 8; offset < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
                var type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
                var data = bytes.AsSpan(offset + 8, length);
                switch (type)
                {
                    case "IHDR":
                        width = BinaryPrimitives.ReadInt32BigEndian(data);
                        height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                        bitDepth = data[8];
                        colourType = data[9];
                        interlace = data[12];
                        break;
                    case "PLTE":
                        palette = data.ToArray();
                        break;
                    case "IDAT":
                        idat.Write(data);
                        break;
                }

                offset += 12 + length;
                if (type == "IEND")
                    break;
            }

            if (bitDepth != 8 || interlace != 0)
                throw new InvalidDataException($"only 8-bit non-interlaced PNGs are decoded here (bit depth {bitDepth}, interlace {interlace})");

            var channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"colour type {colourType}") };
            var stride = width * channels;
            idat.Position = 0;
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            zlib.CopyTo(raw);
            var scanlines = raw.ToArray();
            if (scanlines.Length < height * (stride + 1))
                throw new InvalidDataException("truncated image data");

            var previous = new byte[stride];
            var current = new byte[stride];
            var pixels = new uint[width * height];
            for (var y = 0; y < height; y++)
            {
                var filter = scanlines[y * (stride + 1)];
                Array.Copy(scanlines, y * (stride + 1) + 1, current, 0, stride);
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                    current[i] = (byte)(current[i] + filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => Paeth(a, b, c),
                        _ => throw new InvalidDataException($"filter {filter}")
                    });
                }

                for (var x = 0; x < width; x++)
                {
                    var p = current.AsSpan(x * channels, channels);
                    pixels[y * width + x] = colourType switch
                    {
                        0 => Rgba(p[0], p[0], p[0], 255),
                        2 => Rgba(p[0], p[1], p[2], 255),
                        3 => Rgba(palette[p[0] * 3], palette[p[0] * 3 + 1], palette[p[0] * 3 + 2], 255),
                        4 => Rgba(p[0], p[0], p[0], p[1]),
                        _ => Rgba(p[0], p[1], p[2], p[3])
                    };
                }

                (previous, current) = (current, previous);
            }

            return new DecodedPng { Width = width, Height = height, Pixels = pixels };
        }

        private static uint Rgba(byte r, byte g, byte b, byte a) => (uint)(r << 24 | g << 16 | b << 8 | a);

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
