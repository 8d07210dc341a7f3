using SharpPcap;
using SharpPcap.LibPcap;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Local;

/// <summary>Finds and opens local libpcap devices; failures become one line naming the interface and the fix.</summary>
public static class LocalDevices
{
    public const string LibpcapMissing = "libpcap is not installed on this machine (apt-get install libpcap0.8)";

    /// <summary>The interfaces libpcap can capture on here (this process's network namespace), sorted.</summary>
    public static IReadOnlyList<string> Names()
    {
        try
        {
            return [.. LibPcapLiveDeviceList.New().Select(d => d.Name).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new CaptureSourceException(LibpcapMissing, ex);
        }
        catch (PcapException ex)
        {
            throw new CaptureSourceException($"cannot list the local interfaces: {OneLine(ex.Message)}", ex);
        }
    }

    /// <summary>"capture on 'eth9': no such interface here; available: any, eth0, lo".</summary>
    public static string NoSuchInterface(string interfaceName, IReadOnlyList<string> available) =>
        $"capture on '{interfaceName}': no such interface here; available: {(available.Count == 0 ? "none" : string.Join(", ", available))}";

    /// <summary>One line for a device that would not open: privileges (CAP_NET_RAW/root), interface down, or libpcap's words.</summary>
    public static string OpenFailure(string interfaceName, PcapError error, string message)
    {
        var text = OneLine(message);
        if (error is PcapError.PermissionDenied or PcapError.PromiscuousPermissionDenied
            || text.Contains("ermission", StringComparison.Ordinal) || text.Contains("Operation not permitted", StringComparison.Ordinal))
        {
            return $"capturing on {interfaceName} needs root or CAP_NET_RAW (try: sudo ebpf-console ..., or setcap cap_net_raw+ep on it)";
        }

        if (error == PcapError.NoSuchDevice)
        {
            return $"capture on '{interfaceName}': no such interface here ({text})";
        }

        return error == PcapError.InterfaceNotUp
            ? $"capture on '{interfaceName}': the interface is down ({text})"
            : $"capture on '{interfaceName}' failed: {text}";
    }

    internal static LibPcapLiveDevice Open(string interfaceName, int snapLength)
    {
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new CaptureSourceException(LibpcapMissing, ex);
        }

        if (device is null)
        {
            throw new CaptureSourceException(NoSuchInterface(interfaceName, Names()));
        }

        var configuration = new DeviceConfiguration
        {
            Mode = DeviceModes.None,
            Snaplen = snapLength,
            Immediate = true,
            ReadTimeout = 100,
            TimestampResolution = TimestampResolution.Nanosecond,
        };
        ConfigurationFailedEventArgs? failed = null;
        configuration.ConfigurationFailed += (_, e) =>
        {
            // Nanosecond timestamps are a nicety (microseconds do); anything else must work.
            if (e.Property != nameof(DeviceConfiguration.TimestampResolution))
            {
                failed ??= e;
            }
        };
        try
        {
            device.Open(configuration);
            if (failed is not null)
            {
                device.Dispose();
                throw new CaptureSourceException(OpenFailure(interfaceName, failed.Error, $"{failed.Property}: {failed.Message}"));
            }

            return device;
        }
        catch (PcapException ex)
        {
            device.Dispose();
            throw new CaptureSourceException(OpenFailure(interfaceName, ex.Error, ex.Message), ex);
        }
        catch (PlatformNotSupportedException ex)
        {
            device.Dispose();
            throw new CaptureSourceException($"capture on '{interfaceName}': {OneLine(ex.Message)}", ex);
        }
    }

    internal static string OneLine(string text) => Remote.TcpdumpFailures.OneLine(text);
}
