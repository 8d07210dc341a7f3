using System.Diagnostics.CodeAnalysis;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// One <c>analyze</c> argument, <c>FILE[@NODE:IFACE]</c>: a capture file and, optionally, the point its
/// frames were captured at (for files that do not name it: classic pcap, tcpdump's pcapng).
/// </summary>
public sealed class FileTarget
{
    /// <summary>The interface part of <see cref="DefaultPoint"/> when neither the argument nor the file name gives one.</summary>
    public const string UnknownInterface = "file";

    public FileTarget(string path, CapturePoint? point = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Point = point;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The point given after '@', if any.</summary>
    public CapturePoint? Point { get; }

    /// <summary>
    /// The point for frames whose file does not name one: <see cref="Point"/>, else the file name's stem
    /// when it is <c>NODE:IFACE</c>, else the stem (reduced to node-name characters) with interface
    /// <see cref="UnknownInterface"/>.
    /// </summary>
    public CapturePoint DefaultPoint => Point ?? PointFromFileName(Path);

    /// <summary>
    /// Splits at the last '@' only when what follows parses as a point, so a path that itself contains
    /// '@' still works; everything else is a path (checked when the file is opened).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FileTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "capture file argument is empty (expected FILE or FILE@NODE:IFACE)";
            return false;
        }

        var at = text.LastIndexOf('@');
        if (at > 0 && CapturePoint.TryParse(text[(at + 1)..], out var point, out _))
        {
            target = new FileTarget(text[..at], point);
        }
        else if (at == 0)
        {
            error = $"capture file argument '{text}' has no file before '@' (expected FILE or FILE@NODE:IFACE)";
            return false;
        }
        else
        {
            target = new FileTarget(text);
        }

        error = null;
        return true;
    }

    /// <summary>The point a file name stands for when nothing better is known (see <see cref="DefaultPoint"/>).</summary>
    public static CapturePoint PointFromFileName(string path)
    {
        var stem = System.IO.Path.GetFileNameWithoutExtension(path);
        if (CapturePoint.TryParse(stem, out var named, out _))
        {
            return named;
        }

        var node = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray()).TrimStart('-');
        if (node.Length > 253)
        {
            node = node[..253];
        }

        return new CapturePoint(CapturePoint.IsNodeName(node) ? node : "file", UnknownInterface);
    }

    public override string ToString() => Point is null ? Path : Path + "@" + Point.Name;
}
