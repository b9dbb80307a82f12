"""Small media files with real headers, built in code (detection is by magic bytes, so headers are what matter)."""
import struct
import zlib


def png(width=1, height=1, pad=0):
    """A valid RGB PNG; `pad` adds an ancillary text chunk to reach a size."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    text = chunk(b"tEXt", b"pad\x00" + b"x" * pad) if pad else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + text + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def gif():
    return b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def webp():
    body = b"WEBPVP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav(samples=800):
    data = b"\x00\x00" * samples
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp3():
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 413


def ogg():
    return b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e\x01vorbis" + b"\x00" * 64


def _ftyp(brand, compatible):
    box = brand + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(box)) + b"ftyp" + box + b"\x00\x00\x00\x08free" + b"\x00" * 64


def mp4():
    return _ftyp(b"isom", [b"isom", b"iso2", b"avc1", b"mp41"])


def m4a():
    return _ftyp(b"M4A ", [b"M4A ", b"mp42", b"isom"])


def mov():
    return _ftyp(b"qt  ", [b"qt  "])


def webm():
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + b"\x00" * 64


def pdf():
    return b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


ALL = {
    "png": (png, "image", "image/png"), "jpg": (jpeg, "image", "image/jpeg"), "gif": (gif, "image", "image/gif"),
    "webp": (webp, "image", "image/webp"), "wav": (wav, "audio", "audio/x-wav"), "mp3": (mp3, "audio", "audio/mpeg"),
    "ogg": (ogg, "audio", "audio/ogg"), "m4a": (m4a, "audio", "audio/mp4"), "mp4": (mp4, "video", "video/mp4"),
    "mov": (mov, "video", "video/quicktime"), "webm": (webm, "video", "video/webm"),
}
