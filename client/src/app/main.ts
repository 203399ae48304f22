import './styles.css';
import { mount } from './app.js';

mount(document.getElementById('app')!);
