import './styles.css';
import { connectToHost } from './vscodeApi';

const host = connectToHost<Record<string, never>>();
const app = document.getElementById('app') as HTMLElement;
const greeting = document.createElement('p');
greeting.id = 'greeting';
greeting.setAttribute('role', 'status');
greeting.textContent = 'Connecting…';
app.append(greeting);

host.onMessage((message) => {
  if (message.type === 'hello') greeting.textContent = message.text;
});
host.post({ type: 'ready' });
