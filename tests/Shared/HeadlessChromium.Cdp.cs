using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Bulwark.Tests.Shared;

/// <summary>The CDP connection: commands carry an id and are answered by id; everything without an id
/// is an event, dispatched by method. One reader loop; sends serialised (ClientWebSocket allows one
/// send at a time).</summary>
public sealed partial class HeadlessChromium
{
    private static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<(string Method, TaskCompletionSource<JsonElement> Waiter)> _eventWaiters = [];
    private readonly CancellationTokenSource _readerStop = new();
    private Task _reader = Task.CompletedTask;
    private Exception? _connectionLost;
    private int _nextId;

    private async Task ConnectAsync(Uri url, CancellationToken ct)
    {
        _socket.Options.Proxy = null;
        await _socket.ConnectAsync(url, ct);
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Sends one command and returns its "result"; a CDP error becomes an InvalidOperationException.</summary>
    private async Task<JsonElement> SendAsync(string method, object? parameters = null, TimeSpan? timeout = null)
    {
        if (_connectionLost is not null) throw Lost(method);
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        var limit = timeout ?? DefaultCommandTimeout;
        try
        {
            using (var sendTimeout = new CancellationTokenSource(limit))
            {
                await _sendLock.WaitAsync(sendTimeout.Token);
                try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, sendTimeout.Token); }
                finally { _sendLock.Release(); }
            }
            if (await Task.WhenAny(answer.Task, Task.Delay(limit)) != answer.Task)
                throw new TimeoutException($"CDP {method} got no answer within {limit.TotalSeconds:0.#} s");
            var message = await answer.Task;
            if (message.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"CDP {method} failed: {error.GetRawText()}");
            return message.TryGetProperty("result", out var result) ? result : default;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException && _connectionLost is not null)
        {
            throw Lost(method);
        }
        finally { _pending.TryRemove(id, out _); }
    }

    /// <summary>The params of the next event named <paramref name="method"/> after this call.</summary>
    private Task<JsonElement> NextEventAsync(string method)
    {
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_eventWaiters)
        {
            if (_connectionLost is not null) waiter.SetException(Lost(method));
            else _eventWaiters.Add((method, waiter));
        }
        return waiter.Task;
    }

    private async Task ReadLoopAsync()
    {
        // Screenshots arrive as one message of several MB spread over many frames.
        var chunk = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_readerStop.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(chunk, _readerStop.Token);
                    if (received.MessageType == WebSocketMessageType.Close) throw new WebSocketException("chromium closed the DevTools connection");
                    message.Write(chunk, 0, received.Count);
                } while (!received.EndOfMessage);
                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
        }
        catch (Exception e) { FailAll(e); }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        // Cloned: the document's pooled buffers are returned when it is disposed.
        var root = doc.RootElement.Clone();
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var answer)) answer.TrySetResult(root);
            return;
        }
        if (!root.TryGetProperty("method", out var m) || m.GetString() is not { } method) return;
        var p = root.TryGetProperty("params", out var prm) ? prm : default;
        OnConsoleEvent(method, p);
        lock (_eventWaiters)
        {
            for (var i = _eventWaiters.Count - 1; i >= 0; i--)
            {
                if (_eventWaiters[i].Method != method) continue;
                _eventWaiters[i].Waiter.TrySetResult(p);
                _eventWaiters.RemoveAt(i);
            }
        }
    }

    private void FailAll(Exception cause)
    {
        lock (_eventWaiters)
        {
            _connectionLost ??= cause;
            foreach (var (method, waiter) in _eventWaiters) waiter.TrySetException(Lost(method));
            _eventWaiters.Clear();
        }
        foreach (var (_, answer) in _pending) answer.TrySetException(Lost("command"));
    }

    private InvalidOperationException Lost(string what) => new(
        $"DevTools connection lost during {what}: {_connectionLost?.Message}\nchromium stderr tail:\n{_stderr}", _connectionLost);

    private async Task CloseConnectionAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { /* the kill follows anyway */ }
        }
        _readerStop.Cancel();
        try { await _reader.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        _socket.Dispose();
        _readerStop.Dispose();
        _sendLock.Dispose();
    }
}
