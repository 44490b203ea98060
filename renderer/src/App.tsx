export function App() {
  return (
    <main>
      <h1>SevenStick</h1>
      <p>Windows 7 ISO to a USB stick that boots.</p>
    </main>
  );
}
