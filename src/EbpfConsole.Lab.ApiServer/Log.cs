using Microsoft.Extensions.Logging;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>The API server's log lines (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}{Query} {Status} {Elapsed}ms")]
    public static partial void Request(ILogger logger, string method, string path, string query, int status, long elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path}{Query} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path, string query);

    [LoggerMessage(Level = LogLevel.Information, Message = "lab API server listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "starting: scenario {Scenario}, listen {Listen}, pid {Pid}")]
    public static partial void Starting(ILogger logger, string scenario, string listen, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    public static partial void Info(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    public static partial void Failed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    public static partial void Failed(ILogger logger, Exception exception, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "details")]
    public static partial void Details(ILogger logger, Exception exception);
}
